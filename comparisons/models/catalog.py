"""What comparisons are about: the categories they are filed under and the tools they compare."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q


class CategoryQuerySet(models.QuerySet):
    def in_use(self):
        """Categories that have published comparisons, each with their `count`."""
        from .articles import live

        return self.filter(live("comparisons__")).annotate(count=Count("comparisons"))


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
    def public(self):
        """
        Tools readers may look up (the tool page, matrices, the JSON): those a published
        comparison compares or suggests as the third option. A tool only drafts use stays
        unknown to readers.
        """
        from .articles import Comparison

        shown = Comparison.objects.published().filter(
            Q(tool_a=OuterRef("pk"))
            | Q(tool_b=OuterRef("pk"))
            | Q(verdict__consider_tool=OuterRef("pk"))
        )
        return self.filter(Exists(shown))


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
