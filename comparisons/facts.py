"""
Facts kept once, used everywhere (issue 14): what pages read from the tools' facts, what a
fact change does to published articles, and the readers' matrices of 2–4 tools.

- A factor row with a criterion shows the tools' facts, read when the page is drawn:
  `fill_factor_values` (one query, whatever the number of rows). Its edge stays the article's.
- Changing a fact changes every article whose rows use it: `articles_changed_by` names them
  (the admin asks the editor to confirm before saving), and `record_fact_changes` hands each
  live one to `record_fact_change`, the hook for the public change history.
- `parse_tools` and `build_matrix` serve `/matrix/?tools=a,b[,c[,d]]`.
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse

from . import invalidation, search
from .models import Comparison, Factor, ToolFact

NOT_RECORDED = "Not recorded"
MIN_TOOLS = 2
MAX_TOOLS = 4
# A tools parameter longer than this cannot name four real tools: refused before any query.
LONGEST_TOOLS_PARAMETER = 4 * 80 + 3


# Factor rows from facts ------------------------------------------------------------------------


def fill_factor_values(comparison):
    """
    Put the tools' facts into the comparison's factor rows that use a criterion, in memory
    only (nothing is saved): `value_a`/`value_b` become the facts' values (or “Not recorded”),
    and each such row gets `from_facts = True` and `fact_a`/`fact_b` (ToolFact or None).
    One query when a row uses a criterion, none otherwise. Returns True when one does.

    The rows must be the ones the page shows: `comparison.factors.all()` prefetched
    (`with_article_data`), so the template reads these very objects.
    """
    rows = [factor for factor in comparison.factors.all() if factor.criterion_id]
    if not rows:
        return False
    tool_ids = [pk for pk in (comparison.tool_a_id, comparison.tool_b_id) if pk]
    found = {
        (fact.tool_id, fact.criterion_id): fact
        for fact in ToolFact.objects.filter(
            tool_id__in=tool_ids, criterion_id__in={row.criterion_id for row in rows}
        ).only("tool_id", "criterion_id", "value", "version", "checked_on")
    }
    for row in rows:
        row.from_facts = True
        row.fact_a = found.get((comparison.tool_a_id, row.criterion_id))
        row.fact_b = found.get((comparison.tool_b_id, row.criterion_id))
        row.value_a = row.fact_a.value if row.fact_a else NOT_RECORDED
        row.value_b = row.fact_b.value if row.fact_b else NOT_RECORDED
    return True


def deps_of_fact_rows(comparison):
    """The dependency tags a page adds when it shows this comparison's rows from facts."""
    tags = {invalidation.CRITERIA}
    tags.update(invalidation.facts(pk) for pk in (comparison.tool_a_id, comparison.tool_b_id) if pk)
    return tags


def missing_facts(comparison, rows=None):
    """
    “Flask has no fact for License” for each row from facts a chosen tool lacks. `rows`: the
    comparison's factor rows when the caller holds them (the admin, having just saved them).
    """
    if rows is None:
        rows = comparison.factors.filter(criterion__isnull=False).select_related("criterion")
    rows = [row for row in rows if row.criterion_id is not None]
    tools = [tool for tool in (comparison.tool_a, comparison.tool_b) if tool is not None]
    if not rows or not tools:
        return []
    have = set(
        ToolFact.objects.filter(
            tool__in=tools, criterion__in=[row.criterion_id for row in rows]
        ).values_list("tool_id", "criterion_id")
    )
    return [
        f"{tool.name} has no fact for “{row.criterion.name}”"
        for row in rows
        for tool in tools
        if (tool.pk, row.criterion_id) not in have
    ]


def rename_rows(criterion):
    """A criterion's new name, on every factor row that uses it (and in their search index)."""
    changed = Factor.objects.filter(criterion=criterion).exclude(name=criterion.name)
    comparison_ids = set(changed.values_list("comparison_id", flat=True))
    changed.update(name=criterion.name)  # no signals: touched below
    for comparison in Comparison.objects.filter(pk__in=comparison_ids):
        search.refresh(comparison)
    invalidation.touch(*(invalidation.comparison(pk) for pk in comparison_ids))


# What a fact change does to published articles ----------------------------------------------------


@dataclass(frozen=True)
class FactChange:
    """A tool's fact on a criterion going from `old` to `new` value (None: no fact)."""

    tool: object
    criterion: object
    old: str | None
    new: str | None

    def alters_tables(self):
        """Whether articles' tables would read differently (versions and dates do not show)."""
        return self.old != self.new

    def describe(self):
        """“License (Flask): BSD-3-Clause → MIT”."""
        before = self.old if self.old is not None else NOT_RECORDED.lower()
        after = self.new if self.new is not None else NOT_RECORDED.lower()
        return f"{self.criterion.name} ({self.tool.name}): {before} → {after}"


@dataclass
class ArticlesChanged:
    """The published (and scheduled) comparisons a fact change alters, and the change in a line."""

    comparisons: list
    description: str

    def __iter__(self):
        return iter((self.comparisons, self.description))


def articles_changed_by(fact_change):
    """
    The published comparisons — scheduled ones included, since editors answer for them — whose
    factor rows show this fact, with a one-line description of the change
    (“License (Flask): BSD-3-Clause → MIT”). Empty when the tables would not change.
    """
    if not fact_change.alters_tables():
        return ArticlesChanged([], fact_change.describe())
    tool = fact_change.tool
    comparisons = list(
        Comparison.objects.released()
        .with_tool(tool)
        .filter(factors__criterion=fact_change.criterion)
        .distinct()
        .only("pk", "title", "slug", "status", "published_at")
        .order_by("title")
    )
    return ArticlesChanged(comparisons, fact_change.describe())


def record_fact_change(comparison, description, user):
    """
    A fact change that alters a live article's table is a public change of that article: it
    gets a note in its History (“License (Flask): BSD-3-Clause → MIT”) and a new “Updated”
    date. Not significant: the edge of every row stays the article's own judgement. Called
    once per altered live article, inside the transaction that saved the fact.
    """
    from django.utils import timezone

    from .models import ChangeNote

    ChangeNote.objects.create(
        comparison=comparison,
        note="A fact in the comparison table was updated.",
        significant=False,
        changes=[description],
        author=user,
    )
    Comparison.objects.filter(pk=comparison.pk).update(last_public_change=timezone.now())
    invalidation.touch(invalidation.comparison(comparison.pk))
    return comparison, description


def record_fact_changes(changes, user):
    """
    After facts were saved: each live article they altered goes to `record_fact_change`.
    Returns the (comparison, description) entries, for the message the editor sees.
    """
    recorded = []
    for change in changes:
        comparisons, description = articles_changed_by(change)
        for comparison in comparisons:
            if comparison.is_published():
                recorded.append(record_fact_change(comparison, description, user))
    return recorded


@dataclass
class Confirmation:
    """What saving these fact changes would change for readers, and the token that confirms it."""

    effects: list = field(default_factory=list)  # ArticlesChanged, one per change that alters

    @property
    def comparisons(self):
        seen = {}
        for effect in self.effects:
            for comparison in effect.comparisons:
                seen.setdefault(comparison.pk, comparison)
        return sorted(seen.values(), key=lambda c: c.title.lower())

    @property
    def token(self):
        text = "\n".join(
            f"{effect.description}|{','.join(str(c.pk) for c in effect.comparisons)}"
            for effect in self.effects
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def __bool__(self):
        return bool(self.effects)


CONFIRM_FIELD = "_confirm_fact_changes"


def confirmation_for(changes):
    """The articles these fact changes alter (only changes that alter any are kept)."""
    effects = [articles_changed_by(change) for change in changes]
    return Confirmation([effect for effect in effects if effect.comparisons])


# Matrices --------------------------------------------------------------------------------------


class MatrixError(Exception):
    """A `tools` parameter readers get a message for (and the status that goes with it)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def requested_slugs(raw_values):
    """The tool slugs a request names (`tools=a,b` and/or `tool=a&tool=b`), deduplicated."""
    slugs = []
    for raw in raw_values:
        if len(raw) > LONGEST_TOOLS_PARAMETER:
            raise MatrixError(f"A matrix compares {MAX_TOOLS} tools at most.")
        for part in raw.split(","):
            part = part.strip().lower()
            if part and part not in slugs:
                slugs.append(part)
            if len(slugs) > MAX_TOOLS:
                raise MatrixError(f"A matrix compares {MAX_TOOLS} tools at most.")
    return slugs


def parse_tools(slugs, public_tools):
    """
    The tools named by `slugs` among `public_tools`, in canonical order (by slug), or
    MatrixError with a message for readers.
    """
    if len(slugs) < MIN_TOOLS:
        raise MatrixError(f"Choose at least {MIN_TOOLS} tools to compare.")
    by_slug = {tool.slug.lower(): tool for tool in public_tools}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown:
        shown = ", ".join(f"“{slug[:40]}”" for slug in unknown)
        raise MatrixError(f"We have no tool called {shown}.", status=404)
    return sorted((by_slug[slug] for slug in slugs), key=lambda tool: tool.slug)


def matrix_url(tools):
    """The canonical address of the matrix of these tools (2–4 of them)."""
    return matrix_url_of_slugs(tool.slug for tool in tools)


def matrix_url_of_slugs(slugs):
    """The canonical address of the matrix of the tools with these slugs (2–4 of them)."""
    slugs = sorted(set(slugs))
    return reverse("comparisons:matrix") + "?tools=" + quote(",".join(slugs), safe=",")


@dataclass
class Pair:
    tool_a: object
    tool_b: object
    comparison: object = None

    @property
    def picked(self):
        """The tool the published article picks, if there is one."""
        verdict = getattr(self.comparison, "verdict", None) if self.comparison else None
        if verdict is None:
            return None
        side = self.comparison.tool_a if verdict.pick == "a" else self.comparison.tool_b
        return side


@dataclass
class MatrixRow:
    criterion: object
    cells: list  # ToolFact or None, one per tool


@dataclass
class Matrix:
    tools: list
    rows: list
    pairs: list

    @property
    def complete(self):
        """Every pair has a published article with a verdict: the page may be indexed."""
        return all(pair.picked is not None for pair in self.pairs)

    def cache_deps(self):
        tags = {invalidation.PUBLISHED, invalidation.TOOLS, invalidation.CRITERIA}
        for tool in self.tools:
            tags |= {invalidation.tool(tool.pk), invalidation.facts(tool.pk)}
        for pair in self.pairs:
            if pair.comparison is not None:
                tags.add(invalidation.comparison(pair.comparison.pk))
        return tags


def build_matrix(tools):
    """The criteria as rows and `tools` as columns, and each pair's published article. 2 queries."""
    ids = [tool.pk for tool in tools]
    by_id = {tool.pk: tool for tool in tools}
    facts = list(ToolFact.objects.filter(tool_id__in=ids).select_related("criterion").order_by())
    cells = {(fact.tool_id, fact.criterion_id): fact for fact in facts}
    criteria = sorted(
        {fact.criterion_id: fact.criterion for fact in facts}.values(),
        key=lambda criterion: (criterion.position, criterion.name.lower()),
    )
    rows = [
        MatrixRow(criterion, [cells.get((tool.pk, criterion.pk)) for tool in tools])
        for criterion in criteria
    ]
    published = {
        frozenset((comparison.tool_a_id, comparison.tool_b_id)): comparison
        for comparison in Comparison.objects.published()
        .filter(tool_a_id__in=ids, tool_b_id__in=ids)
        .select_related("verdict")
        .only("pk", "title", "slug", "tool_a_id", "tool_b_id", "verdict__pick")
        .order_by()
    }
    pairs = []
    for index, tool_a in enumerate(tools):
        for tool_b in tools[index + 1 :]:
            comparison = published.get(frozenset((tool_a.pk, tool_b.pk)))
            if comparison is not None:
                # The article's own sides, named from the tools already at hand.
                comparison.tool_a = by_id[comparison.tool_a_id]
                comparison.tool_b = by_id[comparison.tool_b_id]
            pairs.append(Pair(tool_a, tool_b, comparison))
    return Matrix(tools, rows, pairs)
