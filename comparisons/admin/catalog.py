"""
Admin for the catalog: categories and the tools that comparisons compare (with their facts,
inline: `facts.py`).

What readers see on a published article passes an editor: a tool that a published (or
scheduled) comparison uses, and every category, are changed by editors only. Writers may add
tools and fix those no live article uses yet.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Q

from .. import socialcards, workflow
from ..models import Category, Comparison, Tool
from .facts import FactsOfToolMixin, ToolFactInline


def in_use(tool):
    """Whether a published or scheduled comparison shows this tool."""
    return (
        Comparison.objects.released()
        .filter(Q(tool_a=tool) | Q(tool_b=tool) | Q(verdict__consider_tool=tool))
        .exists()
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tool)
class ToolAdmin(FactsOfToolMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "website")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (ToolFactInline,)
    change_form_template = "admin/comparisons/fact_change_form.html"

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or workflow.can_publish(request.user):
            return allowed
        return not in_use(obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or workflow.can_publish(request.user):
            return allowed
        return not in_use(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The tool's name is on the sharing image of every comparison it is in.
            for comparison in Comparison.objects.with_tool(obj):
                socialcards.refresh_card(comparison)
