"""
Search over published comparisons: title, subtitle, summary, body, tool names, factor names
and tags.

Each comparison keeps a `search_document` (plain text of all of these) and, on PostgreSQL, a
weighted `search_vector` (title A; subtitle, summary and tools B; factors and tags C; body D)
with a GIN index. Both are refreshed whenever the comparison, its factors, its tags or its
tools change (signals connected in `ComparisonsConfig.ready`), so no request ever builds them;
the signals only collect the comparisons' ids, and the index is rebuilt once per transaction,
after it commits (`comparisons.batching`). The admin's save, which holds the comparison with
the factors and tags it has just written, hands them over (`refresh(comparison, factors,
tags)`) so that they are not read again.
PostgreSQL ranks with full-text search; SQLite falls back to matching every word.

Capped candidates (PostgreSQL): ranking reads each match's text vector, so a broad word that
matches most of 100,000 comparisons would rank them all on every search (2.3 s measured).
Instead ranking looks only at the newest `CANDIDATES` matches plus up to as many title matches
(found through their own GIN index, migration 0017), so a search costs the same at any corpus
size, titles still come first, and a result page says when there were more to see.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .batching import OnCommitBatch
from .models import Comparison, Factor, TaggedComparison, Tool

MAX_QUERY_LENGTH = 200
CANDIDATES = 500
MAX_WORDS = 8
CONFIG = "english"
WORD = re.compile(r"\w[\w+#.-]*", re.UNICODE)
TAG = re.compile(r"<[^>]*>")
PLAIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Keeping the index up to date -----------------------------------------------------------------


def document_parts(comparison, factors=None, tags=None):
    """The comparison's searchable text, by weight."""
    tools = [tool.name for tool in (comparison.tool_a, comparison.tool_b) if tool is not None]
    if factors is None:
        factors = list(Factor.objects.filter(comparison=comparison).values_list("name", flat=True))
    if tags is None:
        tags = list(comparison.tags.values_list("name", flat=True))
    return {
        "A": comparison.title,
        "B": " ".join([comparison.subtitle, comparison.summary, *tools]),
        "C": " ".join([*factors, *tags]),
        "D": plain_text(comparison.body_html),
    }


def plain_text(rendered):
    """
    Rendered HTML as the words a reader sees: tags become spaces, so a heading never fuses
    with its text, and entities are decoded (`R&amp;D` is `R&D`). The result is text, not
    HTML: whoever shows it escapes it once.
    """
    return " ".join(html.unescape(strip_tags(TAG.sub(" ", rendered))).split())


def refresh(comparison, factors=None, tags=None):
    """
    Rebuild the comparison's search index once the current transaction commits. Given its
    factors (rows, in table order) and its tag names as just saved, the document is built from
    them and the comparison as it is now, unless something searched changes again before the
    commit.
    """
    if factors is None or tags is None:
        _pending.add(comparison.pk)
    else:
        names = [factor.name for factor in factors]
        _pending.add_known(comparison.pk, document_parts(comparison, names, sorted(tags)))


def refresh_now(comparison_ids, batch_size=200, documents=None):
    """
    Rebuild the search document (and vector, on PostgreSQL) of these comparisons now: three
    queries to read them, their factors and their tags, and one update per `batch_size`.
    `documents` ({id: document_parts(…)}) are built already: those comparisons are not read.
    """
    comparison_ids = sorted(set(comparison_ids))
    for start in range(0, len(comparison_ids), batch_size):
        _refresh_batch(comparison_ids[start : start + batch_size], documents or {})


def _refresh_batch(comparison_ids, documents):
    built = {pk: documents[pk] for pk in comparison_ids if pk in documents}
    built.update(_read_documents([pk for pk in comparison_ids if pk not in built]))
    if not built:
        return
    postgres = connection.vendor == "postgresql"
    comparisons = []
    for pk, parts in built.items():
        comparison = Comparison(pk=pk, search_document="\n".join(parts.values()))
        if postgres:
            comparison.search_vector = vector_of(parts)
        comparisons.append(comparison)
    fields = ["search_document", "search_vector"] if postgres else ["search_document"]
    if len(comparisons) == 1:
        comparison = comparisons[0]
        Comparison.objects.filter(pk=comparison.pk).update(
            **{field: getattr(comparison, field) for field in fields}
        )
    else:
        Comparison.objects.bulk_update(comparisons, fields)


def _read_documents(comparison_ids):
    """{id: document_parts} of these comparisons, read in three queries."""
    if not comparison_ids:
        return {}
    comparisons = list(
        Comparison.objects.filter(pk__in=comparison_ids)
        .select_related("tool_a", "tool_b")
        .only("title", "subtitle", "summary", "body_html", "tool_a__name", "tool_b__name")
        .order_by()
    )
    if not comparisons:
        return {}
    factors, tags = {}, {}
    for comparison_id, name in (
        Factor.objects.filter(comparison__in=comparison_ids)
        .order_by("comparison_id", "position", "id")
        .values_list("comparison_id", "name")
    ):
        factors.setdefault(comparison_id, []).append(name)
    for comparison_id, name in (
        TaggedComparison.objects.filter(content_object__in=comparison_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        tags.setdefault(comparison_id, []).append(name)
    return {
        comparison.pk: document_parts(
            comparison, factors.get(comparison.pk, []), tags.get(comparison.pk, [])
        )
        for comparison in comparisons
    }


def vector_of(parts):
    vector = None
    for weight, text in parts.items():
        part = SearchVector(Value(text, output_field=TextField()), weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


_pending = OnCommitBatch(
    lambda comparison_ids, documents: refresh_now(comparison_ids, documents=documents)
)

# What the document is made of; a save of other fields alone (a workflow move) leaves it be.
SEARCHED_FIELDS = frozenset(
    ("title", "subtitle", "summary", "body", "body_html")
    + ("tool_a", "tool_a_id", "tool_b", "tool_b_id")
)


def _comparison_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    _pending.add(instance.pk)


def _factor_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _pending.add(instance.comparison_id)


def _tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Comparison):
        _pending.add(instance.pk)


def _tool_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _pending.add(*Comparison.objects.with_tool(instance).values_list("pk", flat=True))


def connect():
    post_save.connect(_comparison_saved, sender=Comparison, dispatch_uid="search-comparison")
    post_save.connect(_factor_changed, sender=Factor, dispatch_uid="search-factor-save")
    post_delete.connect(_factor_changed, sender=Factor, dispatch_uid="search-factor-delete")
    m2m_changed.connect(_tags_changed, sender=TaggedComparison, dispatch_uid="search-tags")
    post_save.connect(_tool_saved, sender=Tool, dispatch_uid="search-tool")


# Asking -----------------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query we will not run; the message tells the reader why."""


def clean_query(raw):
    """The query as we will search it, or `QueryError` with a message for the reader."""
    text = (raw or "").replace("\x00", " ").strip()
    text = " ".join(text.split())
    if not text:
        raise QueryError("Type a word or two to search for, such as “postgres” or “python”.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"That search is {len(text):,} characters long; please keep it under "
            f"{MAX_QUERY_LENGTH}."
        )
    if not words_of(text):
        raise QueryError("Search for words or names; punctuation alone finds nothing.")
    return text


def words_of(text):
    return [word.lower() for word in WORD.findall(text)][:MAX_WORDS]


def search(queryset, text):
    """`queryset` filtered to matches of `text`, best first (title matches before the rest)."""
    words = words_of(text)
    title_match = Case(
        When(Q(*[Q(title__icontains=word) for word in words]), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if connection.vendor == "postgresql":
        query = tsquery(words)
        newest = (queryset.filter(search_vector=query).order_by("-published_at").values("pk"))[
            :CANDIDATES
        ]
        in_titles = (
            queryset.annotate(title_vector=SearchVector("title", config=CONFIG))
            .filter(title_vector=query)
            .order_by("-published_at")
            .values("pk")
        )[:CANDIDATES]
        return (
            queryset.filter(pk__in=newest.union(in_titles))
            .annotate(title_match=title_match, rank=SearchRank(F("search_vector"), query))
            .order_by("-title_match", "-rank", "-published_at")
        )
    matches = Q(*[Q(search_document__icontains=word) for word in words])
    return (
        queryset.filter(matches)
        .annotate(title_match=title_match)
        .order_by("-title_match", "-published_at")
    )


def tsquery(words):
    """
    One tsquery, so the GIN index answers it: prefixes ("postgre" finds PostgreSQL, and a
    prefix matches the whole word too), built only from plain word characters so the raw
    tsquery syntax can never be broken by what a reader types.
    """
    plain = [word for word in words if PLAIN_WORD.fullmatch(word)]
    if len(plain) == len(words):
        prefix = " & ".join(f"{word}:*" for word in plain)
        return SearchQuery(prefix, search_type="raw", config=CONFIG)
    return SearchQuery(" ".join(words), search_type="plain", config=CONFIG)


def matching(queryset, text):
    """
    For the admin's list: `queryset` (drafts included) narrowed to the comparisons whose
    index matches every word of `text`, or whose slug is `text`; its order left alone. On
    PostgreSQL the GIN index answers it; elsewhere every word is looked for in the document.
    """
    words = words_of(text)
    if not words:
        return queryset.filter(slug=text.strip())
    if connection.vendor == "postgresql":
        return queryset.filter(Q(search_vector=tsquery(words)) | Q(slug=text.strip().lower()))
    return queryset.filter(
        Q(*[Q(search_document__icontains=word) for word in words]) | Q(slug=text.strip().lower())
    )


# Showing ----------------------------------------------------------------------------------------


@dataclass
class Result:
    comparison: Comparison
    snippet: str


def snippet(comparison, text, width=220):
    """A piece of the summary or body around the first word found, with the words marked."""
    words = [word for word in words_of(text) if len(word) > 1]
    sources = [comparison.subtitle, comparison.summary, plain_text(comparison.body_html)]
    for source in sources:
        source = " ".join(source.split())
        lowered = source.lower()
        hits = [lowered.find(word) for word in words if lowered.find(word) >= 0]
        if hits:
            start = max(0, min(hits) - width // 3)
            if start:  # begin at a word, not inside one
                space = source.find(" ", start)
                start = space + 1 if 0 <= space < min(hits) else start
            piece = source[start : start + width]
            prefix = "…" if start else ""
            suffix = "…" if start + width < len(source) else ""
            return mark_safe(prefix + highlight(piece, words) + suffix)  # noqa: S308 (escaped)
    summary = " ".join(comparison.summary.split())
    return escape(summary[:width] + ("…" if len(summary) > width else ""))


def highlight(text, words):
    """`text` escaped, with each occurrence of the words wrapped in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)
