"""
The About and Contact pages (django.contrib.flatpages) as editors change them: their HTML is
cut down to the article allowlist on save, and every page belongs to this site.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from ..rendering import sanitise_html


class PageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        fields = ("url", "title", "content", "registration_required", "template_name")
        help_texts = {
            "content": (
                "HTML: paragraphs (<p>), headings (<h2>), lists and links. Scripts, styles and "
                "other markup are removed when you save."
            ),
        }

    def clean_content(self):
        return sanitise_html(self.cleaned_data["content"])


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PageAdmin(FlatPageAdmin):
    form = PageForm
    list_filter = ("registration_required",)
    fieldsets = (
        (None, {"fields": ("url", "title", "content")}),
        (
            "Advanced options",
            {"classes": ("collapse",), "fields": ("registration_required", "template_name")},
        ),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sites.add(settings.SITE_ID)
