"""What comparisons are about: the categories they are filed under and the tools they compare."""

from django.db import models
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone


class CategoryQuerySet(models.QuerySet):
    def in_use(self):
        """Categories that have published comparisons, each with their `count`."""
        return self.counted(timezone.now()).filter(count__gt=0)

    def counted(self, now):
        """
        Categories with released comparisons, each with the `count` of those live at `now`
        and when the first one still scheduled goes live (`due`, see `articles.goes_live`).
        """
        from .articles import goes_live, live, released

        # Meta.ordering does not apply to a GROUP BY query: the navigation's order, said again.
        return (
            self.filter(released("comparisons__"))
            .annotate(
                count=Count("comparisons", filter=live("comparisons__", now)),
                due=goes_live(now, "comparisons__"),
            )
            .order_by(*self.model._meta.ordering)
        )


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Categories with lower numbers come first in the navigation."
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ("position", "name")
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class ToolQuerySet(models.QuerySet):
    def with_record(self):
        """
        Each tool with its record among live comparisons, counted by the database in the same
        query: `compared` (comparisons it is in), `won` and `judged` (of those with a verdict,
        how many picked it) and `considered` (times suggested as the third option). Each count
        is a subquery on an index, so a tool in 500 comparisons costs what one in five does.
        """
        from .articles import Comparison, Side

        published = Comparison.objects.published()
        tool = OuterRef("pk")
        compared = published.with_tool(tool)
        return self.annotate(
            compared=count_of(compared),
            judged=count_of(compared.filter(verdict__isnull=False)),
            won=count_of(
                published.filter(
                    Q(tool_a=tool, verdict__pick=Side.A) | Q(tool_b=tool, verdict__pick=Side.B)
                )
            ),
            considered=count_of(published.filter(verdict__consider_tool=tool)),
        )

    def public(self):
        """
        Tools readers may look up (the tool page, matrices, the JSON): those a published
        comparison compares or suggests as the third option. A tool only drafts use stays
        unknown to readers.
        """
        from .articles import Comparison

        # Three EXISTS, each answered by its own index (one with an OR read every live row).
        published = Comparison.objects.published()
        return self.filter(
            Exists(published.filter(tool_a=OuterRef("pk")))
            | Exists(published.filter(tool_b=OuterRef("pk")))
            | Exists(published.filter(verdict__consider_tool=OuterRef("pk")))
        )


class Tool(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True, help_text="One or two sentences on what the tool is.")
    website = models.URLField(blank=True)

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


def count_of(queryset):
    """`COUNT(*)` of a correlated queryset, as a subquery (no GROUP BY, one row)."""
    counted = queryset.order_by().annotate(rows=Func(F("pk"), function="COUNT")).values("rows")
    return Coalesce(Subquery(counted[:1]), 0)
