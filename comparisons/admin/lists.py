"""
What keeps a long admin list as fast at 100,000 rows as at 100: the page reads its rows by
index and never walks the whole table for decoration.

- The total without filters is not counted (`show_full_result_count = False`): the count of
  the rows shown is one query, the second was a full scan for "(… total)".
- The date drill-down (`date_hierarchy`) reads its first and last date from either end of the
  date index, once (`ProbedDates.bounds`), and asks, for each year, month or day that can hold
  rows, whether one does — an index probe each — instead of `SELECT DISTINCT` of the truncated
  date of every matching row (`ProbedDates`).
- The row's checkbox is one `format_html`, not a widget rendered through a template: a
  hundred widgets cost as much as the rest of the page.
- The rows that match are counted only as far as the pages on offer (`CappedPaginator`): a
  search for a word in nearly every article says "1,000+ comparisons" instead of counting
  98,000 matches (0.6 s at 100,000 articles), and the page range grows as the editor pages on.
  The count is the ids the list has just read (`BoundedChangeList`), not a second search.
- A filtered list's row links carry its filters as one query string, not worked out per row.
- A tag filter asks whether each article has the tag (`TaggedWithFilter`), instead of a join
  that makes the list DISTINCT.
- 50 rows a page instead of Django's 100: rendering a row's columns is most of a list's cost.
"""

import calendar
import datetime
import functools

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.paginator import Paginator
from django.db.models import F, Max, Min
from django.db.models.sql.where import WhereNode
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext


class ProbedDates:
    """
    A changelist queryset whose `datetimes(field, kind)` — what the admin's date drill-down
    asks — answers with one EXISTS per period between the first and the last row, each an
    index range probe. At most some 30 small queries (days of a month, years of a
    corpus), however many rows match.
    """

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None, is_dst=None):
        if (
            kind not in ("year", "month", "day")
            or self.query.distinct
            or getattr(self.query, "dates_in_one_pass", False)
        ):
            # Filtered through a many-to-many relation (a tag: `TaggedWithFilter`), a probe
            # would read every match of its period, or every row it has: one pass over the
            # matches (Django's own query) is cheaper.
            return super().datetimes(field_name, kind, order, tzinfo)
        bounds = self.bounds(field_name)
        if bounds["first"] is None:
            return []
        zone = tzinfo or timezone.get_current_timezone()
        first = timezone.localtime(bounds["first"], zone)
        last = timezone.localtime(bounds["last"], zone).replace(tzinfo=None)
        periods = []
        start = _truncate(first, kind)
        while start <= last:
            end = _next(start, kind)
            aware = (timezone.make_aware(start, zone), timezone.make_aware(end, zone))
            lookups = {f"{field_name}__gte": aware[0], f"{field_name}__lt": aware[1]}
            if self.filter(**lookups).exists():
                periods.append(aware[0])
            start = end
        return periods if order == "ASC" else periods[::-1]

    def aggregate(self, *args, **kwargs):
        """The drill-down's first and last date come from `bounds`; other aggregates as usual."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if (
            not args
            and len(kwargs) == 2
            and type(first) is Min
            and type(last) is Max
            and first.source_expressions == last.source_expressions
            and isinstance(first.source_expressions[0], F)
        ):
            return self.bounds(first.source_expressions[0].name)
        return super().aggregate(*args, **kwargs)

    def bounds(self, field_name):
        """
        {"first": …, "last": …}: the field's lowest and highest value among the matching rows,
        each read by walking its index from one end (`ORDER BY … LIMIT 1`), and remembered for
        this queryset (the drill-down asks twice). MIN and MAX over a list filtered through a
        join read every match: 88 ms each for the new notes that agree with their article's
        pick, at 100,000 articles.
        """
        memo = self.__dict__.setdefault("_probed_bounds", {})
        if field_name not in memo:
            values = self.filter(**{f"{field_name}__isnull": False}).values_list(
                field_name, flat=True
            )
            memo[field_name] = {
                "first": values.order_by(field_name).first(),
                "last": values.order_by(f"-{field_name}").first(),
            }
        return memo[field_name]


def _truncate(moment, kind):
    naive = moment.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    if kind in ("year", "month"):
        naive = naive.replace(day=1)
    if kind == "year":
        naive = naive.replace(month=1)
    return naive


def _next(start, kind):
    if kind == "day":
        return start + datetime.timedelta(days=1)
    if kind == "month":
        return start + datetime.timedelta(days=calendar.monthrange(start.year, start.month)[1])
    return start.replace(year=start.year + 1)


class AtLeast(int):
    """
    A count that stopped early: compares and pages as the number, reads "1,000+" wherever the
    admin's templates print it (the paginator's "… comparisons", the search box's "… results",
    the actions' "Select all …").
    """

    def __str__(self):
        return f"{int(self):,}+"

    def __html__(self):
        # Templates localize an int into a SafeString of itself; this keeps the "+".
        return str(self)


class CappedPaginator(Paginator):
    """
    Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`, without the list's
    ORDER BY): past that, `count` is `AtLeast(cap)`, so the pages up to the cap are offered.
    """

    def __init__(self, object_list, per_page, cap, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @functools.cached_property
    def count(self):
        # The changelist has already read the matching ids, as far as the cap and one more
        # (`BoundedChangeList.get_results`): counting them again repeated its search.
        found = getattr(self.object_list, "rows_found", None)
        if found is None:
            found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return AtLeast(self.cap) if found > self.cap else found


class BoundedChangeList(ChangeList):
    """
    A changelist whose date drill-down probes by index (see `ProbedDates`). When few rows
    match (a narrow search, a quiet author), their ids are read first and every later query —
    the count, the page, the drill-down — reads those rows by primary key: PostgreSQL would
    otherwise walk the whole date index looking for the newest of three matches (seconds at
    100,000 articles), and check each match's text again in every query.
    """

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # A row's link carries the list's filters ("?_changelist_filters=…") so that a save
        # returns to this list. Django adds them row by row, resolving each row's address to
        # learn it is not the list's own (a tenth of a searched list's time): it is not, and
        # the query string is the same for every row.
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = super().url_for_result(result)
        return f"{url}?{self.row_filters}" if self.row_filters else url

    def get_results(self, request):
        cap = self.model_admin.counted_rows(request)
        ids = list(self.queryset.order_by().values_list("pk", flat=True)[: cap + 1])
        if len(ids) <= cap:
            # The same columns, annotations and order, but the rows by id alone: the
            # conditions that found them (a search's text match, say) are not checked again.
            narrowed = self.queryset._chain()
            narrowed.query.where = WhereNode()
            self.queryset = narrowed.filter(pk__in=ids)
        else:
            self.queryset = self.queryset._chain()
        # For the paginator (`CappedPaginator.count`), on this queryset object alone.
        self.queryset.rows_found = len(ids)
        super().get_results(request)
        if self.date_hierarchy:
            # Only the drill-down template tag reads `cl.queryset` after this point.
            queryset = self.queryset._chain()
            queryset.__class__ = _probing(type(queryset))
            self.queryset = queryset


class ByIdFilter(admin.SimpleListFilter):
    """A filter whose choices are ids: a hand-edited `?…=abc` is an error message, not a 500."""

    def value(self):
        value = super().value()
        if value is None or value == "":
            return None
        try:
            return str(int(value))
        except ValueError:
            raise IncorrectLookupParameters(f"No {self.title} {value!r}") from None


class TaggedWithFilter(ByIdFilter):
    """
    "By tags", as Django's filter of a many-to-many field offers it (the same choices and
    `?tags__id__exact=<pk>`), but asking of each article "tagged with it?" (`pk IN (…)`)
    instead of joining the tags: the join can list an article twice, so Django reads the
    list DISTINCT — every matching article's row sorted before the first 50 are kept, 36 to
    150 ms for a tag on 3,000 of 100,000 articles, against 2 ms.
    """

    title = "tags"
    parameter_name = "tags__id__exact"

    def lookups(self, request, model_admin):
        from taggit.models import Tag

        tags = Tag.objects.order_by("name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in tags]

    def queryset(self, request, queryset):
        if self.value() is None:
            return None
        tagged = queryset.model.tags.through.objects.filter(tag_id=int(self.value()))
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
        # The drill-down's years and months come from one pass over the matches, not a
        # probe per period (`ProbedDates.datetimes`).
        queryset.query.dates_in_one_pass = True
        return queryset


@functools.cache
def _probing(queryset_class):
    return type(f"Probed{queryset_class.__name__}", (ProbedDates, queryset_class), {})


class BoundedListMixin:
    """For a `ModelAdmin` whose list grows with the corpus (comparisons, feedback)."""

    show_full_result_count = False
    list_per_page = 50
    # Rows counted past the first row of the page asked for: from page 1, 20 pages of 50 are
    # offered; from page 20, 20 more. A count reads at most this many rows past the page.
    counted_ahead = 1000

    def counted_rows(self, request):
        """How many matching rows this page of the list counts at most."""
        try:
            page = max(int(request.GET.get(PAGE_VAR, 1)), 1)
        except ValueError:
            page = 1  # the changelist refuses it on its own
        return (page - 1) * self.list_per_page + self.counted_ahead

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(
            queryset,
            per_page,
            cap=self.counted_rows(request),
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def action_checkbox(self, obj):
        # What ModelAdmin.action_checkbox renders through CheckboxInput's template (Django 5.2).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )
