"""
Lists of article cards (the home page, a tag's, a category's, an author's), built from rows
and cards kept between changes.

Which articles a page of a list shows (its *rows*: one narrow query) is kept until the
published set changes; each card's HTML is kept (`pagecache.keep_many`) until what it shows
changes. So a page whose rows and cards are kept costs no query and little template work —
after an edit of a listed article, say, which changes its card alone — and a missing card
costs one query for all of them.
"""

from typing import NamedTuple

from django.template.loader import render_to_string

from .. import invalidation, pagecache
from ..models import Comparison

# A card shows nothing that time alone changes (unlike an article, whose related list a
# scheduled publication joins), so it is kept until a change, or a day.
CARD_SECONDS = 24 * 60 * 60

# What a list reads of each row: enough to find its card, link it, and name its tags.
CARD_KEYS = ("pk", "slug", "title", "tool_a_id", "tool_b_id", "author_id")


class CardRow(NamedTuple):
    """A listed article as its list keeps it: what finds its card, links it and names its tags."""

    pk: int
    slug: str
    title: str
    tool_a_id: int | None
    tool_b_id: int | None
    author_id: int | None
    url: str

    def get_absolute_url(self):
        return self.url


class CardListMixin:
    """For a ListView of comparisons: `get_card_queryset()` says which; `cards` holds their HTML."""

    def get_card_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_card_queryset().only(*CARD_KEYS)

    def paginate_queryset(self, queryset, page_size):
        # The page number is checked first (a bad one is a 404, nothing kept); the page's rows
        # are then kept under its address until the published set changes (which articles are
        # live, and where they are filed), or a page's lifetime (a scheduled article going live).
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows, _tags = pagecache.keep(
            f"rows:{self.request.path}?page={page.number}",
            lambda: (as_card_rows(page.object_list), {invalidation.PUBLISHED}),
        )
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = kept_cards(context["object_list"])
        return context

    def get_cache_deps(self, context):
        return invalidation.for_cards(context["object_list"])


def kept_cards(rows):
    """
    The cards of these rows (from `CardListMixin.get_queryset`), in their order. A row deleted
    between the list's query and the cards' read has no card: it is left out, not an error.
    """
    keys = [f"card:{row.pk}" for row in rows]
    kept = pagecache.keep_many(keys, render_cards, CARD_SECONDS)
    return [kept[key][0] for key in keys if key in kept]


def render_cards(keys):
    """{key: (html, tags)} for the cards with these keys ("card:<pk>"), in one read."""
    pks = [int(key.removeprefix("card:")) for key in keys]
    found = Comparison.objects.filter(pk__in=pks).with_card_data()
    return {
        f"card:{comparison.pk}": (
            render_to_string("comparisons/includes/card.html", {"comparison": comparison}),
            invalidation.for_comparison(comparison),
        )
        for comparison in found
    }


def as_card_rows(rows):
    return [
        CardRow(
            row.pk,
            row.slug,
            row.title,
            row.tool_a_id,
            row.tool_b_id,
            row.author_id,
            row.get_absolute_url(),
        )
        for row in rows
    ]
