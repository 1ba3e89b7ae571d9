"""
Author profiles: the byline readers see. Every member of staff writes their own (one each);
editors change anyone's and set one up for a colleague. Saving one refreshes the pages that
show the byline (`invalidation.author`).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models

from .. import workflow
from ..models import AuthorProfile


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "slug", "is_public", "updated_at")
    list_filter = ("is_public",)
    list_select_related = ("user",)
    search_fields = ("display_name", "slug", "user__username", "user__email")
    prepopulated_fields = {"slug": ("display_name",)}
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return profiles
        return profiles.filter(user=request.user)

    def get_fields(self, request, obj=None):
        fields = ["display_name", "slug", "bio", "is_public"]
        if workflow.can_publish(request.user):
            fields.insert(0, "user")
        return fields

    def get_readonly_fields(self, request, obj=None):
        # A byline belongs to one person: it is never handed to someone else.
        return ("user",) if obj is not None and workflow.can_publish(request.user) else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_staff=True, author_profile__isnull=True)
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        if not allowed or workflow.can_publish(request.user):
            return allowed
        return not AuthorProfile.objects.filter(user=request.user).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own_or_editor(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own_or_editor(request, obj)

    @staticmethod
    def _own_or_editor(request, obj):
        return obj is None or obj.user_id == request.user.pk or workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change and "user" not in form.fields:
            obj.user = request.user
        super().save_model(request, obj, form, change)
