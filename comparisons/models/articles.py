"""
The comparison articles with their quick-comparison factors and verdict.

Readers see a comparison only through `Comparison.objects.published()`.
"""

import functools
import operator

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from ..rendering import reading_minutes, render_markdown
from .catalog import Category, Tool


class TaggedComparison(TaggedItemBase):
    """Taggit's through model with a real foreign key, so tag queries are plain joins."""

    content_object = models.ForeignKey(
        "Comparison", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("content_object", "tag"), name="tagged_comparison_unique_tag"
            )
        ]


def live(through="", now=None):
    """
    The condition `published()` applies, through a relation (`live("comparisons__")`): counts
    per tag or category then join the comparisons once, instead of through an IN subquery.
    """
    return Q(
        **{
            f"{through}status": Comparison.Status.PUBLISHED,
            f"{through}published_at__lte": now or timezone.now(),
        }
    )


def released(through=""):
    """`released()` through a relation: published, whether its time has come or not."""
    return Q(**{f"{through}status": Comparison.Status.PUBLISHED})


def goes_live(now, through=""):
    """
    Among released comparisons, when the first one still scheduled at `now` goes live (None if
    none is): a count or listing of the live ones among them holds until then. Aggregated in
    the same pass as the count, it costs no query of its own.
    """
    return Min(f"{through}published_at", filter=Q(**{f"{through}published_at__gt": now}))


def earliest(dues):
    """The first of the `goes_live` times of several rows (None where a row has none)."""
    return min((due for due in dues if due is not None), default=None)


class ComparisonQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and its time has come."""
        return self.filter(live())

    def articles(self):
        """Articles, without the pending copies that hold changes to live ones (see pending.py)."""
        return self.filter(draft_of__isnull=True)

    def released(self):
        """Published, whether its time has come or it is scheduled: what editors answer for."""
        return self.filter(status=Comparison.Status.PUBLISHED)

    def without_source(self):
        """Leave out what pages never show: the Markdown source and the search index."""
        return self.defer("body", "search_document", "search_vector")

    def with_card_data(self):
        """Everything a card in a list shows, in a fixed number of queries."""
        return (
            self.without_source()
            .defer("body_html")
            .select_related("category", "tool_a", "tool_b", "verdict", "author__author_profile")
            .prefetch_related("tags")
        )

    def with_article_data(self):
        """Everything the article page shows, in a fixed number of queries."""
        from .feedback import Feedback
        from .history import ChangeNote

        thanked = Feedback.objects.filter(may_credit=True).exclude(name="").only("name")
        notes = ChangeNote.objects.annotate(reader_notes=Count("feedback")).prefetch_related(
            Prefetch("feedback", queryset=thanked, to_attr="thanked")
        )
        return (
            self.without_source()
            .select_related(
                "category",
                "tool_a",
                "tool_b",
                "author__author_profile",
                "verdict",
                "verdict__consider_tool",
            )
            .prefetch_related("factors", "tags", Prefetch("change_notes", queryset=notes))
        )

    def with_tool(self, tool):
        """Comparisons of this tool, on either side."""
        return self.filter(Q(tool_a=tool) | Q(tool_b=tool))

    def for_pair(self, tool_a, tool_b):
        """Comparisons of these two tools, in either order."""
        return self.filter(Q(tool_a=tool_a, tool_b=tool_b) | Q(tool_a=tool_b, tool_b=tool_a))

    def for_tool_slugs(self, slug_a, slug_b):
        """Comparisons of the tools with these slugs, in either order."""
        return self.filter(
            Q(tool_a__slug=slug_a, tool_b__slug=slug_b)
            | Q(tool_a__slug=slug_b, tool_b__slug=slug_a)
        )

    def related_to(self, comparison, limit=5, candidates=50):
        """
        Comparisons near this one: those sharing a tool first, then those sharing the most
        tags, then those in the same category, newest first within each; never the comparison
        itself. One query.

        Ranking looks only at capped candidates — the newest `candidates` sharing a tool, a
        tag, or the category, each found through an index — so an article costs the same at
        100,000 comparisons as at 100 (scoring every row took 340 ms there).
        """
        tool_ids = [pk for pk in (comparison.tool_a_id, comparison.tool_b_id) if pk]
        tag_ids = [tag.pk for tag in comparison.tags.all()]
        shares_tool = Q(tool_a__in=tool_ids) | Q(tool_b__in=tool_ids)
        itself = [pk for pk in (comparison.pk, comparison.draft_of_id) if pk]
        nearby = self.exclude(pk__in=itself).order_by("-published_at").values("pk")
        near = [
            nearby.filter(condition)[:candidates]
            for condition, wanted in (
                (shares_tool, tool_ids),
                (Q(tags__in=tag_ids), tag_ids),
                (Q(category_id=comparison.category_id), comparison.category_id),
            )
            if wanted
        ]
        if not near:
            return self.none()
        if connection.features.supports_slicing_ordering_in_compound:
            near = Q(pk__in=near[0].union(*near[1:]))  # PostgreSQL: one index-friendly set
        else:
            near = functools.reduce(operator.or_, (Q(pk__in=arm) for arm in near))  # SQLite
        shared_tags = (
            TaggedComparison.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .values("content_object")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            self.filter(near)
            .annotate(
                shares_tool=models.Case(
                    models.When(shares_tool, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                shared_tags=Coalesce(Subquery(shared_tags, output_field=IntegerField()), 0),
                same_category=models.Case(
                    models.When(category_id=comparison.category_id, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .only("title", "slug", "subtitle", "published_at")
            .order_by("-shares_tool", "-shared_tags", "-same_category", "-published_at")[:limit]
        )


class Comparison(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The article's address. Left empty, it becomes “tool-a-vs-tool-b”.",
    )
    subtitle = models.CharField(max_length=200, blank=True)
    summary = models.TextField(
        blank=True,
        max_length=600,
        help_text="One paragraph: shown on cards and as the page's description in search engines.",
    )
    body = models.TextField(blank=True, help_text="Markdown. Start sections with “## ”.")
    body_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    tool_a = models.ForeignKey(
        Tool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comparisons_as_a",
        verbose_name="tool A",
    )
    tool_b = models.ForeignKey(
        Tool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comparisons_as_b",
        verbose_name="tool B",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="comparisons")
    tags = TaggableManager(through=TaggedComparison, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Readers see the article once it is published and this time has come.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The day the facts in this article were last checked."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comparisons",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Drafts over live articles (comparisons/pending.py): editing a published comparison keeps
    # the changes in a copy of it, pointing here, until an editor publishes them.
    draft_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending",
        help_text="The live article these pending changes are for.",
    )
    last_public_change = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When readers were last told it changed (“Updated …”); minor fixes leave it.",
    )
    # Kept up to date by `comparisons.search` whenever the comparison, its factors, tags or
    # tools change: plain text for the SQLite fallback, a weighted vector on PostgreSQL.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    # The 1200×630 sharing image, drawn by `comparisons.socialcards.refresh_card` when the
    # article is published or changed; pages only read its URL.
    social_card = models.FileField(upload_to="cards/", max_length=255, blank=True, editable=False)
    # Which releases the article compares (“Compared: Flask 3.1 · Express 5.1”).
    version_a = models.CharField(
        "version of tool A",
        max_length=40,
        blank=True,
        help_text="The release of tool A this article compares, e.g. 3.1.",
    )
    version_b = models.CharField(
        "version of tool B",
        max_length=40,
        blank=True,
        help_text="The release of tool B this article compares, e.g. 5.1.",
    )

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-created_at")
        get_latest_by = "published_at"
        permissions = [
            ("publish_comparison", "Can publish, schedule and unpublish comparisons"),
        ]
        indexes = [
            # What readers see, newest first; on PostgreSQL it also carries what the counts and
            # the sitemap's listings group by (category, tools, author) and their last change,
            # so that they read the index alone (issue 16: 100,000 articles).
            models.Index(
                fields=("status", "published_at"),
                include=("id", "category", "tool_a", "tool_b", "author", "updated_at"),
                name="comparison_live",
            ),
            # The admin's list, newest first and by title, read by index at any size.
            models.Index(
                fields=("-published_at", "-created_at", "-id"), name="comparison_admin_order"
            ),
            models.Index(fields=("title",), name="comparison_title"),
            models.Index(fields=("status", "title"), name="comparison_status_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tool_a=F("tool_b")),
                name="comparison_tools_differ",
                violation_error_message="A comparison needs two different tools.",
            ),
            models.UniqueConstraint(
                Least("tool_a", "tool_b"),
                Greatest("tool_a", "tool_b"),
                condition=Q(tool_a__isnull=False, tool_b__isnull=False, draft_of__isnull=True),
                name="comparison_unique_tool_pair",
                violation_error_message=(
                    "These two tools are already compared in another article "
                    "(perhaps with the tools the other way round)."
                ),
            ),
        ]

    # Where readers find it: a change to these moves it in or out of lists (see invalidation).
    VISIBILITY_FIELDS = (
        "status",
        "published_at",
        "category_id",
        "tool_a_id",
        "tool_b_id",
        "author_id",  # the author's page lists it
    )

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.default_slug()
        self.body_html = render_markdown(self.body)
        self.reading_minutes = reading_minutes(self.summary, self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comparisons:detail", args=[self.slug])

    def clean(self):
        if self.tool_a_id and self.tool_b_id:
            if self.tool_a_id == self.tool_b_id:
                raise ValidationError(
                    {"tool_b": ValidationError("Pick a tool other than tool A.", code="same_tool")}
                )
            existing = (
                Comparison.objects.articles()
                .for_pair(self.tool_a_id, self.tool_b_id)
                .exclude(pk__in=[self.pk, self.draft_of_id])
                .first()
            )
            if existing:
                raise ValidationError(
                    {
                        "tool_b": ValidationError(
                            "%(a)s and %(b)s are already compared in “%(title)s” "
                            "(%(slug)s); edit that article instead.",
                            code="duplicate_pair",
                            params={
                                "a": self.tool_a,
                                "b": self.tool_b,
                                "title": existing.title,
                                "slug": existing.slug,
                            },
                        )
                    }
                )
        if not self.slug:
            self.slug = self.default_slug()

    def default_slug(self):
        """“flask-vs-express” from the two tools, or the title until both are chosen."""
        if self.tool_a_id and self.tool_b_id:
            return f"{self.tool_a.slug}-vs-{self.tool_b.slug}"[:200]
        return slugify(self.title)[:200]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_visibility = tuple(
            instance.__dict__.get(name) for name in cls.VISIBILITY_FIELDS
        )
        return instance

    def visibility_changed(self):
        """Whether the last save may have moved it in or out of readers' lists."""
        loaded = getattr(self, "_loaded_visibility", None)
        now = tuple(self.__dict__.get(name) for name in self.VISIBILITY_FIELDS)
        was = loaded[0] if loaded else None
        changed = loaded != now and self.Status.PUBLISHED in (was, now[0])
        self._loaded_visibility = now
        return changed

    def facts_stale(self):
        """Whether the facts were last checked longer ago than NICEPICK_STALE_AFTER_DAYS."""
        if self.last_reviewed is None:
            return False
        age = timezone.localdate() - self.last_reviewed
        return age.days > settings.NICEPICK_STALE_AFTER_DAYS

    def is_pending_copy(self):
        """True for the copy holding pending changes to a live article."""
        return self.draft_of_id is not None

    def is_published(self):
        """True when readers can see it now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Side(models.TextChoices):
    A = "a", "Tool A"
    B = "b", "Tool B"


class Factor(models.Model):
    class Edge(models.TextChoices):
        A = "a", "Tool A"
        B = "b", "Tool B"
        TIE = "tie", "Tie"
        NONE = "", "No edge"

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="factors")
    name = models.CharField(max_length=120, blank=True)
    value_a = models.CharField("tool A", max_length=300, blank=True)
    value_b = models.CharField("tool B", max_length=300, blank=True)
    edge = models.CharField(
        max_length=3,
        choices=Edge.choices,
        blank=True,
        default=Edge.NONE,
        help_text="Which side this row favours, if any.",
    )
    position = models.PositiveIntegerField(default=0)
    # A row from facts: its name is the criterion's, its values the tools' facts, read when
    # the page is drawn (comparisons.facts); `value_a`/`value_b` stay empty. Free-text rows
    # leave it empty.
    criterion = models.ForeignKey(
        "Criterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="factors",
        verbose_name="from facts",
        help_text="Take the row's name and values from the tools' facts on this criterion.",
    )

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return self.name

    def clean(self):
        if self.criterion_id is not None:
            # The tools' facts fill the row: whatever was typed beside the criterion goes.
            self.name, self.value_a, self.value_b = self.criterion.name, "", ""
            return
        messages = {
            "name": "Name the factor, or choose a criterion to take the row from the tools' facts.",
            "value_a": "Give a value, or choose a criterion to take it from the tools' facts.",
            "value_b": "Give a value, or choose a criterion to take it from the tools' facts.",
        }
        missing = {
            # Not code="required": forms would swap in their generic “This field is required.”
            name: ValidationError(message, code="needed_without_criterion")
            for name, message in messages.items()
            if not getattr(self, name).strip()
        }
        if missing:
            raise ValidationError(missing)


class Verdict(models.Model):
    comparison = models.OneToOneField(Comparison, on_delete=models.CASCADE, related_name="verdict")
    pick = models.CharField(max_length=1, choices=Side.choices)
    headline = models.CharField(max_length=200, help_text="Why the pick wins, in one line.")
    reason = models.TextField(help_text="Two or three sentences behind the pick.")
    use_a_if = models.TextField("use tool A if", blank=True)
    use_b_if = models.TextField("use tool B if", blank=True)
    consider_tool = models.ForeignKey(
        Tool,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="considered_in",
        help_text="A third option worth a look, if any.",
    )
    consider_note = models.TextField(blank=True)
    bottom_line = models.TextField(blank=True)

    def __str__(self):
        return f"Verdict on {self.comparison}"

    @property
    def picked_tool(self):
        return self.comparison.tool_a if self.pick == Side.A else self.comparison.tool_b
