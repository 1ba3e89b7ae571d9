"""
The editorial groups (DESIGN §5). Writers draft and submit; Editors hold
`comparisons.publish_comparison` and may change anything.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = {
    "comparisons": {
        "comparison": ("add", "change", "delete", "view"),
        "factor": ("add", "change", "delete", "view"),
        "verdict": ("add", "change", "delete", "view"),
        "tool": ("add", "change", "view"),
        "category": ("view",),
        "workflowevent": ("view",),
    },
    "taggit": {"tag": ("view",)},
}
EDITORS = {
    "comparisons": {
        "comparison": ("add", "change", "delete", "view", "publish"),
        "factor": ("add", "change", "delete", "view"),
        "verdict": ("add", "change", "delete", "view"),
        "tool": ("add", "change", "delete", "view"),
        "category": ("add", "change", "delete", "view"),
        "workflowevent": ("view",),
    },
    "taggit": {"tag": ("add", "change", "delete", "view")},
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("Writers", WRITERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, models in grants.items()
            for model, actions in models.items()
            for action in actions
        ]
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=("Writers", "Editors")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
