"""
The About and Contact pages (django.contrib.flatpages), so editors can change them in the admin
without a deploy, and the permissions that let the Editors group do so. Contact uses its own
template, which adds the fixed parts: the "Disagree?" route and NICEPICK_CONTACT_EMAIL.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

ABOUT = """\
<p>nicepick publishes head-to-head comparisons of the tools that developers choose between:
web frameworks, databases, front-end libraries and the infrastructure underneath them. Every
article ends in a decision. We name the tool we would choose, set out the reasons in a table
anyone can check row by row, and say plainly when the other one is the better choice.</p>
<h2>How a comparison is made</h2>
<ul>
<li>One article per pair of tools, kept up to date instead of written again from scratch.</li>
<li>A factor table that marks which side each row favours, so you can disagree with one row
rather than with the whole article.</li>
<li>A verdict that names our pick for a team without strong preferences, and the situations
in which the other tool wins.</li>
<li>A date on every fact check; articles whose facts have aged are reviewed again.</li>
</ul>
<h2>Independence</h2>
<p>No vendor pays for a pick, sponsors an article or sees one before it is published. When a
reader shows us that we got something wrong, we change the article.</p>
<h2>Who writes it</h2>
<p>A small group of writers and editors who build and run software for a living. An editor
reviews every article before it goes live.</p>
"""

CONTACT = """\
<p>The editors read everything that reaches them, and answer whenever a reply helps.
Corrections are the most useful thing you can send: tell us which article and which fact, and
where you found the better information.</p>
"""

PAGES = (
    {"url": "/about/", "title": "About nicepick", "content": ABOUT, "template_name": ""},
    {
        "url": "/contact/",
        "title": "Contact the editors",
        "content": CONTACT,
        "template_name": "flatpages/contact.html",
    },
)
EDITOR_GRANTS = ("add_flatpage", "change_flatpage", "view_flatpage")


def create_pages(apps, schema_editor=None):
    """Create the pages that are missing (and the site they belong to); editors may edit them."""
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc or "localhost", "name": "nicepick"},
    )
    for data in PAGES:
        page, _ = FlatPage.objects.get_or_create(url=data["url"], defaults=data)
        page.sites.add(site)


def grant_editors(apps, schema_editor=None):
    # Permissions are normally created after migrations; the grant needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="flatpages", codename__in=EDITOR_GRANTS
        )
    )


def forwards(apps, schema_editor):
    create_pages(apps, schema_editor)
    grant_editors(apps, schema_editor)


def backwards(apps, schema_editor):
    apps.get_model("flatpages", "FlatPage").objects.filter(
        url__in=[page["url"] for page in PAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0009_social_card"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
