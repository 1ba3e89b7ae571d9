"""Small builders for test data: each returns a saved object with sensible defaults."""

import importlib
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from comparisons import search
from comparisons.models import (
    AuthorProfile,
    Category,
    Comparison,
    Criterion,
    Factor,
    Tool,
    ToolFact,
    Verdict,
)

_sequence = itertools.count(1)


def make_category(name=None, **fields):
    number = next(_sequence)
    name = name or f"Category {number}"
    fields.setdefault("slug", f"category-{number}")
    return Category.objects.create(name=name, **fields)


def make_tool(name=None, **fields):
    number = next(_sequence)
    name = name or f"Tool {number}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Tool.objects.create(name=name, **fields)


def make_criterion(name=None, *, kind=Criterion.Kind.TEXT, levels="", **fields):
    number = next(_sequence)
    name = name or f"Criterion {number}"
    fields.setdefault("slug", f"{name.lower().replace(' ', '-')}-{number}")
    fields.setdefault("position", number)
    return Criterion.objects.create(name=name, kind=kind, levels=levels, **fields)


def make_fact(tool, criterion, value, **fields):
    """A tool's fact on a criterion (its value in the criterion's spelling)."""
    fields.setdefault("source_url", f"https://{tool.slug}.example/facts")
    return ToolFact.objects.create(
        tool=tool, criterion=criterion, value=criterion.clean_value(value), **fields
    )


# The tool admin page's facts inline, empty: add to a tool form's POST data.
NO_FACTS = {"facts-TOTAL_FORMS": "0", "facts-INITIAL_FORMS": "0"}


def add_fact_row(comparison, criterion, edge="", position=None):
    """A factor row of `comparison` that takes its values from the tools' facts."""
    if position is None:
        position = comparison.factors.count() + 1
    return Factor.objects.create(
        comparison=comparison,
        criterion=criterion,
        name=criterion.name,
        edge=edge,
        position=position,
    )


def make_user(
    username=None, *, staff=False, superuser=False, password="pass-for-tests-1", group=None
):
    username = username or f"user{next(_sequence)}"
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=f"{username}@example.com",
        is_staff=staff or superuser or group is not None,
        is_superuser=superuser,
    )
    if group:
        if not Group.objects.filter(name=group).exists():
            restore_editorial_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def restore_editorial_groups():
    """
    Recreate the groups the data migrations made. Transactional tests (browser, threads) flush
    the database afterwards, which empties tables that migrations filled.
    """
    from django.contrib.auth.models import Permission

    groups = importlib.import_module("comparisons.migrations.0003_editorial_groups")
    feedback = importlib.import_module("comparisons.migrations.0005_feedback")
    fact_grants = importlib.import_module("comparisons.migrations.0015_facts").GRANTS
    for name, grants in (("Writers", groups.WRITERS), ("Editors", groups.EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                for app_label, models in grants.items()
                for model, actions in models.items()
                for action in actions
            ]
        )
    profiles = importlib.import_module("comparisons.migrations.0013_author_profile")
    for name, codenames in (
        *feedback.GRANTS.items(),
        *profiles.GRANTS.items(),
        *fact_grants.items(),
    ):
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(
                content_type__app_label="comparisons", codename__in=codenames
            )
        )
    Group.objects.get(name="Editors").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="flatpages", codename__in=pages_migration().EDITOR_GRANTS
        )
    )


def pages_migration():
    return importlib.import_module("comparisons.migrations.0010_pages")


def restore_pages():
    """Recreate the About and Contact pages the data migration made (see above)."""
    from django.apps import apps

    pages_migration().create_pages(apps)


def make_writer(username=None):
    """A member of the Writers group (created by the data migration)."""
    return make_user(username, group="Writers")


def make_editor(username=None):
    """A member of the Editors group (created by the data migration)."""
    return make_user(username, group="Editors")


def make_author(display_name=None, *, user=None, **fields):
    """A user with an author profile (public unless `is_public=False`); returns the user."""
    user = user or make_writer()
    display_name = display_name or f"Author {next(_sequence)}"
    fields.setdefault("slug", display_name.lower().replace(" ", "-"))
    AuthorProfile.objects.create(user=user, display_name=display_name, **fields)
    return user


def make_comparison(
    tool_a=None,
    tool_b=None,
    *,
    tools=2,
    status=Comparison.Status.PUBLISHED,
    published_at=None,
    factors=3,
    tags=("python",),
    verdict=True,
    category=None,
    **fields,
):
    """
    A comparison, published an hour ago unless told otherwise, with factors and a verdict.

    `tools` says how many tools are chosen (2; 1 leaves tool B empty; 0 leaves both empty);
    `verdict` is True, False (none) or a dict of verdict fields to override, e.g.
    `{"consider_tool": make_tool()}` or `{"pick": "b", "bottom_line": ""}`.
    """
    if tools >= 1:
        tool_a = tool_a or make_tool()
    if tools >= 2:
        tool_b = tool_b or make_tool()
    names = [tool.name for tool in (tool_a, tool_b) if tool] or ["these tools"]
    if published_at is None and status == Comparison.Status.PUBLISHED:
        published_at = timezone.now() - timedelta(hours=1)
    fields.setdefault("title", " vs ".join(names) if len(names) > 1 else f"Draft {next(_sequence)}")
    fields.setdefault("summary", f"Which to choose between {' and '.join(names)}.")
    fields.setdefault("body", "## Why\n\nBecause it is faster to learn.")
    comparison = Comparison.objects.create(
        tool_a=tool_a,
        tool_b=tool_b,
        category=category or make_category(),
        status=status,
        published_at=published_at,
        **fields,
    )
    comparison.tags.set(list(tags))
    Factor.objects.bulk_create(
        Factor(
            comparison=comparison,
            name=f"Factor {n}",
            value_a=f"A value {n}",
            value_b=f"B value {n}",
            edge=Factor.Edge.A if n % 2 else Factor.Edge.B,
            position=n,
        )
        for n in range(1, factors + 1)
    )
    search.refresh(comparison)  # factors were bulk-created, without signals
    if verdict:
        name_a = tool_a.name if tool_a else "tool A"
        name_b = tool_b.name if tool_b else "tool B"
        Verdict.objects.create(
            comparison=comparison,
            **{
                "pick": "a",
                "headline": f"{name_a} is simpler to live with",
                "reason": "Fewer moving parts.",
                "use_a_if": f"You want {name_a}'s simplicity.",
                "use_b_if": f"You need {name_b}'s ecosystem.",
                "bottom_line": "Start simple.",
                **(verdict if isinstance(verdict, dict) else {}),
            },
        )
    return comparison


def make_draft(*, tools=2, factors=3, verdict=True, tags=("python",), **fields):
    """
    A draft, complete unless told otherwise; leave parts out to get the incomplete drafts an
    editor's day is full of: `make_draft(tools=0, factors=0, verdict=False, tags=(),
    summary="", body="")`. `INCOMPLETE_DRAFTS` names the usual shapes.
    """
    fields.setdefault("status", Comparison.Status.DRAFT)
    return make_comparison(tools=tools, factors=factors, verdict=verdict, tags=tags, **fields)


# The shapes of unfinished drafts every page a draft reaches must render: make_draft(**shape).
INCOMPLETE_DRAFTS = {
    "nothing but a title": {
        "tools": 0,
        "factors": 0,
        "verdict": False,
        "tags": (),
        "summary": "",
        "body": "",
    },
    "no tools (with factors and a verdict)": {"tools": 0},
    "one tool": {"tools": 1},
    "one tool, the verdict picks the missing one": {"tools": 1, "verdict": {"pick": "b"}},
    "no verdict": {"verdict": False},
    "no factors": {"factors": 0},
    "no tags": {"tags": ()},
    "empty summary and body": {"summary": "", "body": "", "subtitle": ""},
    "bare verdict": {
        "verdict": {"use_a_if": "", "use_b_if": "", "bottom_line": "", "consider_note": ""}
    },
    "consider note without a tool": {"verdict": {"consider_note": "Or wait a year."}},
}
