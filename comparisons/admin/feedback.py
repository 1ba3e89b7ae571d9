"""The editors' inbox of readers' feedback: triage in bulk, read each note safely escaped."""

from django.contrib import admin, messages
from django.utils.html import format_html, linebreaks

from ..models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "comparison", "would_pick_name", "status", "created_at")
    list_filter = ("status", "would_pick", "comparison")
    list_select_related = ("comparison__tool_a", "comparison__tool_b")
    search_fields = ("message", "name", "email")
    date_hierarchy = "created_at"
    actions = ("mark_read", "mark_resolved", "mark_spam")
    fields = (
        "comparison",
        "would_pick_name",
        "message_text",
        "name",
        "email",
        "status",
        "created_at",
        "user_agent",
    )
    readonly_fields = (
        "comparison",
        "would_pick_name",
        "message_text",
        "name",
        "email",
        "created_at",
        "user_agent",
    )

    def has_add_permission(self, request):
        return False  # feedback comes from readers only

    @admin.display(description="Message")
    def excerpt(self, obj):
        return obj.excerpt()

    @admin.display(description="Would pick", ordering="would_pick")
    def would_pick_name(self, obj):
        return obj.picked_name()

    @admin.display(description="Message")
    def message_text(self, obj):
        # Escaped, then paragraphs: a <script> in a message is shown as text.
        return format_html(
            "<div class='feedback-message'>{}</div>", linebreaks(obj.message, autoescape=True)
        )

    def _set_status(self, request, queryset, status):
        updated = queryset.update(status=status)
        label = Feedback.Status(status).label.lower()
        self.message_user(request, f"{updated} note(s) marked as {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected as read", permissions=["change"])
    def mark_read(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.READ)

    @admin.action(description="Mark selected as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.RESOLVED)

    @admin.action(description="Mark selected as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.SPAM)
