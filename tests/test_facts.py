"""Facts kept once, used everywhere: criteria, tool facts, and factor rows that read them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comparisons import facts
from comparisons.models import ChangeNote, Comparison, Criterion, Factor, ToolFact

from .factories import (
    add_fact_row,
    make_comparison,
    make_criterion,
    make_editor,
    make_fact,
    make_tool,
)

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def license_row():
    """Flask vs Express and FastAPI vs Flask, both with a License row from facts."""
    flask, express, fastapi = make_tool("Flask"), make_tool("Express"), make_tool("FastAPI")
    license = make_criterion("License", slug="license")
    make_fact(flask, license, "BSD-3-Clause")
    make_fact(express, license, "MIT")
    make_fact(fastapi, license, "MIT")
    first = make_comparison(flask, express, title="Flask vs Express", factors=1)
    second = make_comparison(fastapi, flask, title="FastAPI vs Flask", factors=1)
    add_fact_row(first, license, edge="a")
    add_fact_row(second, license, edge="tie")
    return flask, license, first, second


# The kinds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("yes", "Yes"), ("Y", "Yes"), ("true", "Yes"), ("NO", "No"), ("n", "No"), ("0", "No")],
)
def test_a_yes_no_fact_is_saved_as_yes_or_no(typed, saved):
    """A yes-or-no criterion accepts the usual spellings and keeps one."""
    criterion = make_criterion(kind=Kind.YES_NO)
    assert criterion.clean_value(typed) == saved


def test_a_yes_no_fact_refuses_anything_else():
    """“Mostly” is not an answer to a yes-or-no criterion; the message says what is."""
    criterion = make_criterion("Open source", kind=Kind.YES_NO)
    with pytest.raises(ValidationError) as error:
        criterion.clean_value("Mostly")
    assert "write Yes or No" in str(error.value)


def test_a_scale_takes_one_of_its_levels_in_its_own_spelling():
    """A scale accepts its levels in any case and saves them as the criterion spells them."""
    criterion = make_criterion(kind=Kind.SCALE, levels="Gentle\nModerate\nSteep")
    assert criterion.clean_value("  moderate ") == "Moderate"
    assert criterion.level_number("Steep") == 3
    with pytest.raises(ValidationError) as error:
        criterion.clean_value("Easy")
    assert "use one of Gentle, Moderate, Steep" in str(error.value)


def test_a_text_fact_is_one_line_and_not_empty():
    """Text facts go into a table cell: whitespace is folded, empty ones refused."""
    criterion = make_criterion()
    assert criterion.clean_value("  BSD-3-Clause \n license ") == "BSD-3-Clause license"
    with pytest.raises(ValidationError):
        criterion.clean_value("   ")
    with pytest.raises(ValidationError):
        criterion.clean_value("x" * 301)


def test_a_scale_needs_two_different_levels_and_other_kinds_none():
    """The criterion itself is checked: a scale with one level, or levels on text, are refused."""
    with pytest.raises(ValidationError) as error:
        Criterion(name="Curve", slug="curve", kind=Kind.SCALE, levels="Gentle").full_clean()
    assert "at least two levels" in str(error.value)
    with pytest.raises(ValidationError):
        Criterion(name="Curve", slug="curve", kind=Kind.SCALE, levels="Low\nlow").full_clean()
    with pytest.raises(ValidationError) as error:
        Criterion(name="License", slug="license", kind=Kind.TEXT, levels="MIT").full_clean()
    assert "Only a scale has levels" in str(error.value)


def test_a_criterion_cannot_change_under_the_facts_it_has():
    """Turning a text criterion into yes-or-no is refused while facts would not fit, naming them."""
    criterion = make_criterion("Sharding")
    make_fact(make_tool("MongoDB"), criterion, "Built in")
    criterion.kind = Kind.YES_NO
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert "MongoDB (Built in)" in str(error.value)


def test_the_fact_model_checks_its_value_against_the_kind():
    """ToolFact.full_clean applies the kind, on the value field."""
    fact = ToolFact(tool=make_tool(), criterion=make_criterion(kind=Kind.YES_NO), value="maybe")
    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    assert "value" in error.value.message_dict


def test_one_fact_per_tool_and_criterion():
    """A tool has at most one fact for a criterion (database constraint)."""
    from django.db import IntegrityError, transaction

    tool, criterion = make_tool(), make_criterion()
    make_fact(tool, criterion, "one")
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolFact.objects.create(tool=tool, criterion=criterion, value="two")


# Factor rows from facts -----------------------------------------------------------------------


def test_facts_flow_to_every_article_using_them(client, license_row):
    """One fact changed: both articles with a License row from it show the new value."""
    flask, license, first, second = license_row
    for article in (first, second):
        assert "BSD-3-Clause" in page(client, article.get_absolute_url())
    fact = ToolFact.objects.get(tool=flask, criterion=license)
    fact.value = "MIT-0"
    fact.save()
    for article in (first, second):
        html = page(client, article.get_absolute_url())
        assert "MIT-0" in html
        assert "BSD-3-Clause" not in html


def test_the_edge_stays_the_articles_own(client, license_row):
    """The facts change the values, never which side the row favours."""
    flask, license, first, second = license_row
    ToolFact.objects.filter(tool=flask, criterion=license).update(value="Proprietary")
    facts.fill_factor_values(comparison := Comparison.objects.with_article_data().get(pk=first.pk))
    row = next(f for f in comparison.factors.all() if f.criterion_id)
    assert row.value_a == "Proprietary"
    assert row.edge == "a"
    assert Factor.objects.get(pk=row.pk).value_a == "", "the values are never stored"


def test_a_row_shows_its_tools_facts_in_their_order(client):
    """Tool A's fact in the A column, tool B's in the B column, whatever order they were made."""
    django, rails = make_tool("Django"), make_tool("Rails")
    release = make_criterion("First release")
    make_fact(rails, release, "2004")
    make_fact(django, release, "2005")
    article = make_comparison(django, rails, factors=0)
    add_fact_row(article, release, edge="tie")
    html = page(client, article.get_absolute_url())
    assert html.index("2005") < html.index("2004")
    assert "From our tool facts" in html


def test_a_missing_fact_reads_not_recorded(client):
    """A row from facts where a tool has no fact yet says so, instead of an empty cell."""
    flask, express = make_tool("Flask"), make_tool("Express")
    curve = make_criterion("Learning curve")
    make_fact(flask, curve, "Gentle")
    article = make_comparison(flask, express, factors=0)
    add_fact_row(article, curve)
    html = page(client, article.get_absolute_url())
    assert "Gentle" in html
    assert "Not recorded" in html
    assert facts.missing_facts(article) == ["Express has no fact for “Learning curve”"]


def test_free_text_rows_stay_possible(client, license_row):
    """Article-specific rows keep their own words beside rows from facts."""
    _, _, first, _ = license_row
    html = page(client, first.get_absolute_url())
    assert "A value 1" in html and "BSD-3-Clause" in html


def test_a_factor_row_needs_values_unless_it_takes_them_from_facts():
    """A free-text row needs a name and both values; a row with a criterion takes its name."""
    article = make_comparison(factors=0)
    with pytest.raises(ValidationError) as error:
        Factor(comparison=article, name="", value_a="", value_b="").full_clean()
    assert set(error.value.message_dict) == {"name", "value_a", "value_b"}
    criterion = make_criterion("License")
    row = Factor(comparison=article, criterion=criterion, name="typed", value_a="x", value_b="y")
    row.full_clean()
    assert (row.name, row.value_a, row.value_b) == ("License", "", "")


def test_renaming_a_criterion_renames_its_rows(client, license_row):
    """The criterion's new name shows in every article's table (and its search index)."""
    _, license, first, _ = license_row
    page(client, first.get_absolute_url())
    license.name = "Licence"
    license.save()
    facts.rename_rows(license)
    assert "Licence" in page(client, first.get_absolute_url())
    assert set(Factor.objects.filter(criterion=license).values_list("name", flat=True)) == {
        "Licence"
    }


# Versions compared -----------------------------------------------------------------------------


def test_the_article_says_which_versions_it_compares(client):
    """“Compared: Flask 3.1 · Express 5.1” near the meta line; nothing when none is recorded."""
    article = make_comparison(
        make_tool("Flask"), make_tool("Express"), version_a="3.1", version_b="5.1"
    )
    html = page(client, article.get_absolute_url())
    assert "Compared:" in html
    assert "Flask 3.1</span> · <span>Express 5.1" in html
    bare = make_comparison()
    assert "Compared:" not in page(client, bare.get_absolute_url())


def test_stale_facts_are_those_checked_too_long_ago(settings):
    """NICEPICK_STALE_AFTER_DAYS decides; the oldest come first."""
    settings.NICEPICK_STALE_AFTER_DAYS = 30
    today = timezone.localdate()
    tool = make_tool()
    fresh = make_fact(tool, make_criterion(), "a", checked_on=today - timedelta(days=29))
    old = make_fact(tool, make_criterion(), "b", checked_on=today - timedelta(days=31))
    older = make_fact(tool, make_criterion(), "c", checked_on=today - timedelta(days=400))
    assert list(ToolFact.objects.stale()) == [older, old]
    assert not fresh.is_stale() and old.is_stale()


# What a fact change does to published articles -------------------------------------------------


def test_articles_changed_by_names_the_live_articles_and_the_change(license_row):
    """The published articles whose rows show the fact, and the change in one line."""
    flask, license, first, second = license_row
    make_comparison(flask, make_tool("Bottle"), status=Comparison.Status.DRAFT, factors=0)
    comparisons, description = facts.articles_changed_by(
        facts.FactChange(flask, license, "BSD-3-Clause", "MIT")
    )
    assert {c.pk for c in comparisons} == {first.pk, second.pk}
    assert description == "License (Flask): BSD-3-Clause → MIT"


def test_a_change_that_alters_no_table_names_no_article(license_row):
    """Same value (a new version or date only): nothing to confirm, nothing for the history."""
    flask, license, _, _ = license_row
    change = facts.FactChange(flask, license, "BSD-3-Clause", "BSD-3-Clause")
    assert facts.articles_changed_by(change).comparisons == []


def test_a_draft_using_the_fact_is_not_a_published_change(license_row):
    """Drafts that use the fact are not listed: readers do not see them."""
    flask, license, _, _ = license_row
    draft = make_comparison(
        flask, make_tool("Bottle"), status=Comparison.Status.DRAFT, factors=0, title="Draft"
    )
    add_fact_row(draft, license)
    comparisons, _ = facts.articles_changed_by(facts.FactChange(flask, license, "BSD", "MIT"))
    assert draft.pk not in {c.pk for c in comparisons}


def test_each_live_article_a_change_alters_reaches_the_history_hook(license_row, monkeypatch):
    """record_fact_changes calls record_fact_change once per live article, with the user."""
    flask, license, first, second = license_row
    scheduled = make_comparison(
        flask,
        make_tool("Bottle"),
        published_at=timezone.now() + timedelta(days=3),
        factors=0,
    )
    add_fact_row(scheduled, license)
    calls = []
    monkeypatch.setattr(
        facts, "record_fact_change", lambda c, d, u: calls.append((c.pk, d, u)) or (c, d)
    )
    recorded = facts.record_fact_changes(
        [facts.FactChange(flask, license, "BSD-3-Clause", "MIT")], user="editor"
    )
    description = "License (Flask): BSD-3-Clause → MIT"
    assert sorted(calls) == sorted(
        [(first.pk, description, "editor"), (second.pk, description, "editor")]
    ), "a scheduled article has no public history yet"
    assert len(recorded) == 2


def test_a_fact_change_appears_in_the_history_of_each_live_article_it_alters(client, license_row):
    flask, license, first, second = license_row
    editor = make_editor("eddie")
    facts.record_fact_changes([facts.FactChange(flask, license, "BSD-3-Clause", "MIT")], editor)
    for article in (first, second):
        page = client.get(article.get_absolute_url()).content.decode()
        history = page[page.index('id="history"') :]
        assert "License (Flask): BSD-3-Clause → MIT" in history
        assert "Updated" in page
    assert not ChangeNote.objects.filter(significant=True).exists(), "the edge stays the same"


# Invalidation: exactly the pages that show a fact ----------------------------------------------


def test_a_fact_change_invalidates_exactly_the_pages_showing_it(
    client, license_row, django_assert_num_queries
):
    """
    Flask's License fact changes: the articles with a License row from it, Flask's page and
    JSON, the articles' JSON and a matrix with Flask show the new value at once; pages that do
    not show Flask's facts stay cached (no query at all).
    """
    flask, license, first, second = license_row
    express = first.tool_b
    unrelated = make_comparison(make_tool("Vue"), make_tool("React"), title="Vue vs React")
    flask_free_text = make_comparison(flask, make_tool("Bottle"), title="Flask vs Bottle")
    showing = [
        first.get_absolute_url(),
        second.get_absolute_url(),
        "/tools/flask/",
        "/api/tools/flask.json",
        f"/api/compare/{first.slug}.json",
        "/matrix/?tools=express,flask",
    ]
    not_showing = [
        "/",
        unrelated.get_absolute_url(),
        flask_free_text.get_absolute_url(),  # Flask, but no row from its facts
        f"/tools/{express.slug}/",
        f"/api/tools/{express.slug}.json",
        f"/api/compare/{unrelated.slug}.json",
        "/matrix/?tools=react,vue",
        "/tags/python/",
        "/feed/",
    ]
    for url in showing + not_showing:
        page(client, url)
    fact = ToolFact.objects.get(tool=flask, criterion=license)
    fact.value = "Apache-2.0"
    fact.save()
    for url in not_showing:
        with django_assert_num_queries(0):
            page(client, url)
    for url in showing:
        assert "Apache-2.0" in page(client, url), url


def test_deleting_a_fact_refreshes_the_articles_using_it(client, license_row):
    """A fact deleted: its articles read “Not recorded” on the next request."""
    flask, license, first, _ = license_row
    assert "BSD-3-Clause" in page(client, first.get_absolute_url())
    ToolFact.objects.filter(tool=flask, criterion=license).delete()
    html = page(client, first.get_absolute_url())
    assert "BSD-3-Clause" not in html and "Not recorded" in html


def test_renaming_a_criterion_refreshes_the_pages_showing_it(client, license_row):
    """A criterion's name is on articles, tool pages and matrices: each refreshes."""
    flask, license, first, _ = license_row
    urls = [first.get_absolute_url(), "/tools/flask/", "/matrix/?tools=express,flask"]
    for url in urls:
        page(client, url)
    license.name = "Licence terms"
    license.save()
    facts.rename_rows(license)
    for url in urls:
        assert "Licence terms" in page(client, url), url


def test_a_revision_remembers_which_rows_came_from_facts():
    """Comparing revisions names a row's criterion, so switching a row to facts shows."""
    import reversion

    from comparisons import revisions

    article = make_comparison(factors=0)
    license = make_criterion("License")
    with reversion.create_revision():
        add_fact_row(article, license)
        reversion.add_to_revision(article)
    version = revisions.versions_of(article).first()
    (row,) = revisions.snapshot(version).factors.values()
    assert row["criterion"] == "License"
