"""Outgoing mail for operators: what is waiting, what was sent, what failed and why; send again."""

from django.contrib import admin, messages

from .. import mail
from ..models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient_list", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    actions = ("send_again",)
    fields = (
        "subject",
        "recipient_list",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # written by the site's notifications only

    @admin.display(description="Recipients")
    def recipient_list(self, obj):
        return ", ".join(obj.recipients)

    @admin.action(description="Send selected again now", permissions=["change"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            f"{count} message(s) queued to be sent again."
            + (f" {skipped} already sent, left alone." if skipped else ""),
            messages.SUCCESS,
        )
