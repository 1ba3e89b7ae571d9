"""Admin for the catalog: categories and the tools that comparisons compare."""

from django.contrib import admin
from django.db import models
from django.db.models import Q

from .. import socialcards
from ..models import Category, Comparison, Tool


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "website")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The tool's name is on the sharing image of every comparison it is in.
            for comparison in Comparison.objects.filter(Q(tool_a=obj) | Q(tool_b=obj)):
                socialcards.refresh_card(comparison)
