"""
Facts kept once, used everywhere: the criteria tools are compared on (language, license,
learning curve…) and, per tool, its fact for a criterion — with the version it applies to,
where it was checked and when.

A comparison's factor row may use a criterion (`Factor.criterion`); its two values are then
the tools' facts, read when the page is drawn (`comparisons.facts`).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .catalog import Tool

# A fact is shown in a factor table's cell: one line, as long as a free-text value may be.
VALUE_MAX_LENGTH = 300
YES, NO = "Yes", "No"
YES_WORDS = {"yes", "y", "true", "1"}
NO_WORDS = {"no", "n", "false", "0"}


def one_line(text):
    return " ".join(str(text or "").split())


class Criterion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        YES_NO = "yesno", "Yes or no"
        SCALE = "scale", "Scale (ordered levels)"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, help_text="What the criterion means, for editors and for readers of a matrix."
    )
    kind = models.CharField(
        max_length=8,
        choices=Kind.choices,
        default=Kind.TEXT,
        help_text="Text: any short value. Yes or no: exactly that. Scale: one of its levels.",
    )
    levels = models.TextField(
        blank=True,
        help_text="For a scale only: its levels, one per line, from first to last "
        "(e.g. Gentle, Moderate, Steep).",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Criteria with lower numbers come first in matrices and tool pages."
    )

    class Meta:
        ordering = ("position", "name")
        verbose_name_plural = "criteria"

    def __str__(self):
        return self.name

    def level_list(self):
        """The scale's levels, first to last (empty for other kinds)."""
        return [one_line(line) for line in self.levels.splitlines() if one_line(line)]

    def clean(self):
        levels = self.level_list()
        if self.kind == self.Kind.SCALE:
            if len(levels) < 2:
                raise ValidationError(
                    {"levels": ValidationError("A scale needs at least two levels.", code="few")}
                )
            if len({level.lower() for level in levels}) != len(levels):
                raise ValidationError(
                    {"levels": ValidationError("Each level must differ.", code="duplicate")}
                )
            self.levels = "\n".join(levels)
        elif levels:
            raise ValidationError(
                {
                    "levels": ValidationError(
                        "Only a scale has levels: choose the kind “Scale”, or leave this empty.",
                        code="not_a_scale",
                    )
                }
            )
        if self.pk:
            self._check_existing_facts()

    def _check_existing_facts(self):
        """A new kind or new levels must still fit the facts already kept."""
        misfits = []
        for fact in self.facts.select_related("tool"):
            try:
                self.clean_value(fact.value)
            except ValidationError:
                misfits.append(f"{fact.tool.name} ({fact.value})")
        if misfits:
            raise ValidationError(
                "%(count)s fact(s) would no longer fit: %(facts)s. Change those facts first.",
                code="facts_misfit",
                params={"count": len(misfits), "facts": ", ".join(misfits[:10])},
            )

    def clean_value(self, value):
        """The value in its canonical spelling for this criterion's kind, or ValidationError."""
        value = one_line(value)
        if not value:
            raise ValidationError("Give a value.", code="required")
        if len(value) > VALUE_MAX_LENGTH:
            raise ValidationError(
                "Keep it under %(max)s characters: it fits in a table cell.",
                code="max_length",
                params={"max": VALUE_MAX_LENGTH},
            )
        if self.kind == self.Kind.YES_NO:
            if value.lower() in YES_WORDS:
                return YES
            if value.lower() in NO_WORDS:
                return NO
            raise ValidationError(
                "“%(criterion)s” is a yes-or-no criterion: write Yes or No.",
                code="yes_no",
                params={"criterion": self.name},
            )
        if self.kind == self.Kind.SCALE:
            levels = self.level_list()
            for level in levels:
                if level.lower() == value.lower():
                    return level
            raise ValidationError(
                "“%(criterion)s” is a scale: use one of %(levels)s.",
                code="not_a_level",
                params={"criterion": self.name, "levels": ", ".join(levels)},
            )
        return value

    def level_number(self, value):
        """1-based place of `value` on the scale (None for other kinds or unknown values)."""
        try:
            return self.level_list().index(value) + 1
        except ValueError:
            return None


class ToolFactQuerySet(models.QuerySet):
    def stale(self, today=None):
        """Facts checked longer ago than NICEPICK_STALE_AFTER_DAYS, oldest first."""
        today = today or timezone.localdate()
        cutoff = today - timedelta(days=settings.NICEPICK_STALE_AFTER_DAYS)
        return self.filter(checked_on__lt=cutoff).order_by("checked_on", "tool__name")


class ToolFact(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="facts")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="facts")
    value = models.CharField(
        max_length=VALUE_MAX_LENGTH,
        help_text="Yes-or-no criteria take Yes or No; a scale takes one of its levels.",
    )
    version = models.CharField(
        max_length=40, blank=True, help_text="The tool version the fact applies to, if it matters."
    )
    source_url = models.URLField(
        "source", max_length=500, blank=True, help_text="Where the fact can be checked."
    )
    checked_on = models.DateField(
        default=timezone.localdate,
        help_text="The day someone last checked the fact against its source.",
    )

    objects = ToolFactQuerySet.as_manager()

    class Meta:
        ordering = ("criterion__position", "criterion__name")
        constraints = [
            models.UniqueConstraint(fields=("tool", "criterion"), name="toolfact_one_per_criterion")
        ]
        indexes = [models.Index(fields=("checked_on",), name="toolfact_checked_on")]

    def __str__(self):
        return f"{self.criterion} ({self.tool})"

    def clean(self):
        if self.criterion_id is not None:
            try:
                self.value = self.criterion.clean_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error}) from error

    def is_stale(self, today=None):
        today = today or timezone.localdate()
        return self.checked_on < today - timedelta(days=settings.NICEPICK_STALE_AFTER_DAYS)
