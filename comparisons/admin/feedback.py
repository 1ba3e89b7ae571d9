"""
The editors' inbox of readers' feedback: triage in bulk, read each note as the reader wrote it
(escaped once, at full width), answer it by e-mail, and filter by how the reader leans against
the article's own pick.
"""

from urllib.parse import quote

from django.contrib import admin, messages
from django.db.models import Count, F, Q
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

from ..models import Comparison, Feedback
from .lists import BoundedListMixin, ByIdFilter

Pick = Feedback.Pick


class WouldPickFilter(admin.SimpleListFilter):
    """
    Which way readers lean, measured against each article's own pick: "tool A" and "tool B"
    mean different tools in every article, “the article’s pick” means the same thing in all.
    Filtered to one article, the choices carry its tools' names.
    """

    title = "would pick"
    parameter_name = "would_pick"
    AGREES = "pick"
    OTHER_TOOL = "other_tool"
    ELSEWHERE = "else"

    def lookups(self, request, model_admin):
        labels = {
            self.AGREES: "The article’s pick",
            self.OTHER_TOOL: "The other tool",
            self.ELSEWHERE: Pick.OTHER.label,
        }
        comparison = self._one_comparison(request)
        verdict = getattr(comparison, "verdict", None)
        if verdict is not None:
            picked, other = (
                (comparison.tool_a, comparison.tool_b)
                if verdict.pick == Pick.A
                else (comparison.tool_b, comparison.tool_a)
            )
            if picked:
                labels[self.AGREES] = f"{picked.name} (the article’s pick)"
            if other:
                labels[self.OTHER_TOOL] = f"{other.name} (the other tool)"
        return list(labels.items())

    def queryset(self, request, queryset):
        agrees = Q(would_pick=F("comparison__verdict__pick"))
        if self.value() == self.AGREES:
            return queryset.filter(agrees)
        if self.value() == self.OTHER_TOOL:
            return queryset.filter(would_pick__in=(Pick.A, Pick.B)).exclude(agrees)
        if self.value() == self.ELSEWHERE:
            return queryset.filter(would_pick=Pick.OTHER)
        return None

    @staticmethod
    def _one_comparison(request):
        """The article the list is filtered to (the link from its change page), if any."""
        try:
            pk = int(request.GET.get("comparison__id__exact", ""))
        except ValueError:
            return None
        return (
            Comparison.objects.select_related("tool_a", "tool_b", "verdict").filter(pk=pk).first()
        )


class ComparisonFilter(ByIdFilter):
    """
    The articles with the most new notes, not every article: the list stays a few lines long
    however many articles there are. The article the inbox is filtered to (the link from its
    change page, `?comparison__id__exact=<pk>`) is always listed, selected.

    Counted among the latest `RECENT` new notes (read through the index on state and date):
    grouping every new note read them all, 43 ms at 100,000 articles; the notes editors have
    not got to are, in practice, the recent ones.
    """

    title = "comparison"
    parameter_name = "comparison__id__exact"
    LIMIT = 15
    RECENT = 2000

    def lookups(self, request, model_admin):
        new = Feedback.objects.filter(status=Feedback.Status.NEW)
        recent = new.order_by("-created_at").values("pk")[: self.RECENT]
        busiest = list(
            Feedback.objects.filter(pk__in=recent)
            .values("comparison")
            .annotate(new=Count("pk"))
            .order_by("-new", "comparison")
            .values_list("comparison", "new")[: self.LIMIT]
        )
        new_notes = dict(busiest)
        wanted = list(new_notes)
        if self.value() and int(self.value()) not in new_notes:
            wanted.append(int(self.value()))
        titles = dict(Comparison.objects.filter(pk__in=wanted).values_list("pk", "title"))
        return [
            (str(pk), f"{titles[pk]} ({new_notes[pk]} new)" if pk in new_notes else titles[pk])
            for pk in wanted
            if pk in titles
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return None
        return queryset.filter(comparison_id=int(self.value()))


@admin.register(Feedback)
class FeedbackAdmin(BoundedListMixin, admin.ModelAdmin):
    list_display = ("excerpt", "comparison", "would_pick_name", "status", "created_at")
    list_filter = ("status", WouldPickFilter, ComparisonFilter)
    list_select_related = ("comparison__tool_a", "comparison__tool_b")
    search_fields = ("message", "name", "email")
    date_hierarchy = "created_at"
    actions = ("mark_read", "mark_resolved", "mark_spam")
    fieldsets = (
        (None, {"fields": ("comparison", "would_pick_name", "created_at", "status")}),
        (None, {"classes": ("feedback-letter",), "fields": ("message_text",)}),
        ("From", {"fields": ("name", "email", "reply")}),
        ("Metadata", {"classes": ("collapse",), "fields": ("user_agent",)}),
    )
    readonly_fields = (
        "comparison",
        "would_pick_name",
        "message_text",
        "name",
        "email",
        "reply",
        "created_at",
        "user_agent",
    )

    class Media:
        css = {"all": ("comparisons/admin.css",)}

    def has_add_permission(self, request):
        return False  # feedback comes from readers only

    def get_queryset(self, request):
        # Each row names its article: its title and tools, not its text.
        return (
            super()
            .get_queryset(request)
            .select_related("comparison__tool_a", "comparison__tool_b")
            .defer(
                "comparison__body",
                "comparison__body_html",
                "comparison__search_document",
                "comparison__search_vector",
            )
        )

    @admin.display(description="Message")
    def excerpt(self, obj):
        return obj.excerpt()

    @admin.display(description="Would pick", ordering="would_pick")
    def would_pick_name(self, obj):
        return obj.picked_name()

    @admin.display(description="Message")
    def message_text(self, obj):
        # Escaped once, then split into paragraphs: a <script> in a message is shown as text.
        paragraphs = linebreaks_filter(obj.message, autoescape=True)
        return format_html('<div class="feedback-message">{}</div>', paragraphs)

    @admin.display(description="Reply")
    def reply(self, obj):
        if not obj.email:
            return "The reader left no e-mail address."
        subject = quote(f"Re: {obj.comparison.title}", safe="")
        return format_html(
            '<a href="mailto:{}?subject={}">Reply by e-mail</a>',
            quote(obj.email, safe="@+"),
            subject,
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
