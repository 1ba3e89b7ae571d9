"""Bylines: an author profile per member of staff, which they write themselves."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Staff write their own byline (the admin limits writers to theirs); editors any.
GRANTS = {
    "Editors": ("add_authorprofile", "change_authorprofile", "view_authorprofile", "delete_authorprofile"),
    "Writers": ("add_authorprofile", "change_authorprofile", "view_authorprofile"),
}


def grant_profile_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="comparisons", codename__in=codenames
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('comparisons', '0012_feedback_corrections'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuthorProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The author page's address: /authors/<slug>/.", max_length=80, unique=True)),
                ('display_name', models.CharField(help_text='The name readers see in the byline, e.g. “Ada Lovelace”.', max_length=100)),
                ('bio', models.TextField(blank=True, help_text="One or two sentences shown under the author's articles and on their page.", max_length=400)),
                ('is_public', models.BooleanField(default=True, help_text="Readers see this name on the author's articles and an author page. Unticked, the articles are signed “nicepick editors”.", verbose_name='public byline')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='author_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'author profile',
                'ordering': ('display_name',),
            },
        ),
        migrations.RunPython(grant_profile_permissions, migrations.RunPython.noop),
    ]
