"""Editing facts in the admin: criteria, facts inline on the tool, and the check before saving."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from comparisons import facts
from comparisons.models import Comparison, Criterion, Factor, ToolFact

from .factories import (
    add_fact_row,
    make_comparison,
    make_criterion,
    make_editor,
    make_fact,
    make_tool,
    make_user,
    make_writer,
)
from .test_admin import comparison_form_data

pytestmark = pytest.mark.django_db


def tool_url(tool):
    return reverse("admin:comparisons_tool_change", args=[tool.pk])


def tool_form_data(tool, rows=(), **extra):
    """POST data for the tool's change page; `rows` are dicts of a fact form's fields."""
    initial = [row for row in rows if row.get("id")]
    data = {
        "name": tool.name,
        "slug": tool.slug,
        "summary": tool.summary,
        "website": tool.website,
        "facts-TOTAL_FORMS": str(len(rows)),
        "facts-INITIAL_FORMS": str(len(initial)),
        "facts-MIN_NUM_FORMS": "0",
        "facts-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        values = {
            "tool": tool.pk,
            "version": "",
            "source_url": "",
            "checked_on": timezone.localdate().isoformat(),
            **row,
        }
        for name, value in values.items():
            data[f"facts-{index}-{name}"] = value
    data.update(extra)
    return data


def fact_row(fact, **changes):
    """A form row for an existing fact, with `changes`."""
    return {
        "id": fact.pk,
        "criterion": fact.criterion_id,
        "value": fact.value,
        "version": fact.version,
        "source_url": fact.source_url,
        "checked_on": fact.checked_on.isoformat(),
        **changes,
    }


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor("eddie"))
    return client


@pytest.fixture
def license_row():
    """Flask's License fact, shown by two published articles and one draft."""
    flask, express, fastapi = make_tool("Flask"), make_tool("Express"), make_tool("FastAPI")
    license = make_criterion("License")
    fact = make_fact(flask, license, "BSD-3-Clause")
    make_fact(express, license, "MIT")
    first = make_comparison(flask, express, title="Flask vs Express")
    second = make_comparison(fastapi, flask, title="FastAPI vs Flask")
    draft = make_comparison(
        flask, make_tool("Bottle"), title="Flask vs Bottle", status=Comparison.Status.DRAFT
    )
    for article in (first, second, draft):
        add_fact_row(article, license)
    return fact


def test_every_facts_admin_page_loads(editor_client, license_row):
    """Criteria and facts: changelists (searched, filtered), add and change pages; the tool page."""
    for name, obj in (("criterion", license_row.criterion), ("toolfact", license_row)):
        changelist = reverse(f"admin:comparisons_{name}_changelist")
        assert editor_client.get(changelist).status_code == 200
        assert editor_client.get(changelist, {"q": "lic"}).status_code == 200
        assert editor_client.get(reverse(f"admin:comparisons_{name}_add")).status_code == 200
        change = reverse(f"admin:comparisons_{name}_change", args=[obj.pk])
        assert editor_client.get(change).status_code == 200
    facts_list = reverse("admin:comparisons_toolfact_changelist")
    assert editor_client.get(facts_list, {"stale": "yes"}).status_code == 200
    page = editor_client.get(tool_url(license_row.tool)).content.decode()
    assert 'id="facts-group"' in page and "BSD-3-Clause" in page
    delete = reverse("admin:comparisons_toolfact_delete", args=[license_row.pk])
    assert editor_client.get(delete).status_code == 200


def test_editors_manage_criteria_writers_only_read_them(client):
    """Editors add criteria; a writer's add page is refused."""
    client.force_login(make_editor())
    response = client.post(
        reverse("admin:comparisons_criterion_add"),
        {
            "name": "Learning curve",
            "slug": "learning-curve",
            "description": "",
            "kind": "scale",
            "levels": "Gentle\nModerate\nSteep",
            "position": "1",
        },
    )
    assert response.status_code == 302
    assert Criterion.objects.get().level_list() == ["Gentle", "Moderate", "Steep"]
    client.force_login(make_writer())
    assert client.get(reverse("admin:comparisons_criterion_add")).status_code == 403
    changelist = reverse("admin:comparisons_criterion_changelist")
    assert client.get(changelist).status_code == 200


def test_a_scale_without_levels_is_refused_with_a_message(editor_client):
    """The criterion form says what a scale needs, and keeps what was typed."""
    response = editor_client.post(
        reverse("admin:comparisons_criterion_add"),
        {"name": "Curve", "slug": "curve", "kind": "scale", "levels": "Only", "position": "1"},
    )
    assert response.status_code == 200
    assert "A scale needs at least two levels." in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "levels", "typed", "error", "saved"),
    [
        ("yesno", "", "maybe", "write Yes or No", None),
        ("yesno", "", "y", None, "Yes"),
        ("scale", "Gentle\nSteep", "easy", "use one of Gentle, Steep", None),
        ("scale", "Gentle\nSteep", "steep", None, "Steep"),
        ("text", "", "  MIT  license ", None, "MIT license"),
    ],
)
def test_facts_inline_on_the_tool_check_the_criterions_kind(
    editor_client, kind, levels, typed, error, saved
):
    """A fact typed on the tool's page is refused beside its field, or saved canonically."""
    tool = make_tool("Flask")
    criterion = make_criterion("Criterion", kind=kind, levels=levels)
    data = tool_form_data(tool, [{"criterion": criterion.pk, "value": typed}])
    response = editor_client.post(tool_url(tool), data)
    if error:
        assert response.status_code == 200
        page = response.content.decode()
        assert error in page
        assert f'value="{typed}"' in page, "what the editor typed is kept"
        assert not ToolFact.objects.exists()
    else:
        assert response.status_code == 302
        assert ToolFact.objects.get().value == saved


def test_two_facts_for_one_criterion_are_refused(editor_client):
    """One fact per criterion on a tool: a duplicate row gets a message, not a 500."""
    tool, criterion = make_tool("Flask"), make_criterion("License")
    rows = [
        {"criterion": criterion.pk, "value": "MIT"},
        {"criterion": criterion.pk, "value": "BSD"},
    ]
    response = editor_client.post(tool_url(tool), tool_form_data(tool, rows))
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()


def test_writers_cannot_change_facts_of_a_tool_a_live_article_shows(client, license_row):
    """The tool rule holds for its facts: the page is read-only and a POST is refused."""
    client.force_login(make_writer())
    flask = license_row.tool
    page = client.get(tool_url(flask)).content.decode()
    assert 'name="facts-0-value"' not in page
    data = tool_form_data(flask, [fact_row(license_row, value="MIT")])
    assert client.post(tool_url(flask), data).status_code == 403
    assert ToolFact.objects.get(pk=license_row.pk).value == "BSD-3-Clause"
    fact_page = reverse("admin:comparisons_toolfact_change", args=[license_row.pk])
    assert client.post(fact_page, {"tool": flask.pk, "value": "MIT"}).status_code == 403


def test_writers_add_facts_to_a_tool_no_live_article_shows(client):
    """A tool only drafts use is the writer's to describe."""
    writer = make_writer()
    tool = make_tool("Bottle")
    make_comparison(tool, make_tool(), status=Comparison.Status.DRAFT, author=writer)
    criterion = make_criterion("License")
    client.force_login(writer)
    data = tool_form_data(tool, [{"criterion": criterion.pk, "value": "MIT"}])
    assert client.post(tool_url(tool), data).status_code == 302
    assert ToolFact.objects.get(tool=tool).value == "MIT"


def test_changing_a_fact_lists_the_published_articles_before_saving(
    editor_client, license_row, monkeypatch
):
    """
    The first save shows which published articles change and saves nothing; saving again with
    “Yes, change these articles” ticked saves, tells the editor, and hands each live article
    to the history hook.
    """
    flask = license_row.tool
    data = tool_form_data(flask, [fact_row(license_row, value="MIT")])
    response = editor_client.post(tool_url(flask), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saving changes what readers see in 2 published articles" in page
    assert "License (Flask): BSD-3-Clause → MIT" in page
    box = page[page.index('id="fact-confirmation"') :]
    assert "Flask vs Express" in box and "FastAPI vs Flask" in box
    assert "Flask vs Bottle" not in box, "a draft is not a published article"
    assert ToolFact.objects.get(pk=license_row.pk).value == "BSD-3-Clause", "nothing saved yet"
    token = response.context["fact_confirmation"].token
    assert f'name="{facts.CONFIRM_FIELD}" value="{token}"' in page

    recorded = []
    monkeypatch.setattr(
        facts, "record_fact_change", lambda c, d, u: recorded.append((c.title, d, u)) or (c, d)
    )
    response = editor_client.post(tool_url(flask), {**data, facts.CONFIRM_FIELD: token})
    assert response.status_code == 302
    assert ToolFact.objects.get(pk=license_row.pk).value == "MIT"
    assert sorted(recorded) == [
        ("FastAPI vs Flask", "License (Flask): BSD-3-Clause → MIT", response.wsgi_request.user),
        ("Flask vs Express", "License (Flask): BSD-3-Clause → MIT", response.wsgi_request.user),
    ]
    assert any("Changed 2 published articles" in m for m in messages_of(response))


def test_a_confirmation_is_for_the_change_it_listed(editor_client, license_row):
    """Ticked for one change, then typing another value: the editor is asked again."""
    flask = license_row.tool
    data = tool_form_data(flask, [fact_row(license_row, value="MIT")])
    token = editor_client.post(tool_url(flask), data).context["fact_confirmation"].token
    other = tool_form_data(
        flask, [fact_row(license_row, value="Apache-2.0")], **{facts.CONFIRM_FIELD: token}
    )
    response = editor_client.post(tool_url(flask), other)
    assert response.status_code == 200
    assert "License (Flask): BSD-3-Clause → Apache-2.0" in response.content.decode()
    assert ToolFact.objects.get(pk=license_row.pk).value == "BSD-3-Clause"


def test_deleting_a_fact_inline_asks_first_too(editor_client, license_row):
    """Ticking “Delete” on a fact used by live articles lists them before anything goes."""
    flask = license_row.tool
    data = tool_form_data(flask, [fact_row(license_row, DELETE="on")])
    response = editor_client.post(tool_url(flask), data)
    assert response.status_code == 200
    assert "License (Flask): BSD-3-Clause → not recorded" in response.content.decode()
    assert ToolFact.objects.filter(pk=license_row.pk).exists()


def test_a_change_only_of_version_or_date_saves_at_once(editor_client, license_row):
    """Tables show values only: a new version or checked date needs no confirmation."""
    flask = license_row.tool
    data = tool_form_data(flask, [fact_row(license_row, version="3.1")])
    assert editor_client.post(tool_url(flask), data).status_code == 302
    assert ToolFact.objects.get(pk=license_row.pk).version == "3.1"


def test_a_fact_no_live_article_uses_saves_at_once(editor_client):
    """Nothing published shows the fact: no question asked."""
    tool, criterion = make_tool("Koa"), make_criterion("License")
    fact = make_fact(tool, criterion, "MIT")
    draft = make_comparison(tool, make_tool(), status=Comparison.Status.DRAFT)
    add_fact_row(draft, criterion)
    data = tool_form_data(tool, [fact_row(fact, value="ISC")])
    assert editor_client.post(tool_url(tool), data).status_code == 302


def test_the_facts_own_page_asks_first_too(editor_client, license_row):
    """Changing a fact from the list of facts goes through the same check."""
    url = reverse("admin:comparisons_toolfact_change", args=[license_row.pk])
    data = {
        "tool": license_row.tool_id,
        "criterion": license_row.criterion_id,
        "value": "MIT",
        "version": "",
        "source_url": "",
        "checked_on": timezone.localdate().isoformat(),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Flask vs Express" in response.content.decode()
    token = response.context["fact_confirmation"].token
    response = editor_client.post(url, {**data, facts.CONFIRM_FIELD: token})
    assert response.status_code == 302
    assert ToolFact.objects.get(pk=license_row.pk).value == "MIT"


def test_the_delete_page_lists_the_articles_a_fact_is_shown_in(editor_client, license_row):
    """Deleting a fact from its own page shows which published articles will say “Not recorded”."""
    url = reverse("admin:comparisons_toolfact_delete", args=[license_row.pk])
    page = editor_client.get(url).content.decode()
    assert "Flask vs Express" in page and "FastAPI vs Flask" in page
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not ToolFact.objects.filter(pk=license_row.pk).exists()


def test_stale_facts_are_flagged_on_the_dashboard(client, settings, license_row):
    """Facts checked longer ago than the stale setting, with how many live articles show each."""
    settings.NICEPICK_STALE_AFTER_DAYS = 90
    ToolFact.objects.filter(pk=license_row.pk).update(
        checked_on=timezone.localdate() - timedelta(days=91)
    )
    client.force_login(make_editor())
    page = client.get(reverse("admin:index")).content.decode()
    box = page[page.index('id="stale-facts"') :]
    box = box[: box.index("</div>")]
    assert "License (Flask): BSD-3-Clause" in box
    assert "shown in 2 live articles" in box
    assert "MIT" not in box, "Express's fact is fresh"


def test_mark_facts_as_checked_today(client, license_row):
    """The list's action dates the chosen facts today; the tool page shows the new date."""
    old = timezone.localdate() - timedelta(days=400)
    ToolFact.objects.update(checked_on=old)
    client.get("/tools/flask/")
    client.force_login(make_editor())
    response = client.post(
        reverse("admin:comparisons_toolfact_changelist"),
        {"action": "mark_checked_today", "_selected_action": [license_row.pk]},
    )
    assert response.status_code == 302
    assert ToolFact.objects.get(pk=license_row.pk).checked_on == timezone.localdate()
    client.logout()
    assert timezone.localdate().strftime("%Y-%m-%d") in client.get("/tools/flask/").content.decode()


def test_a_factor_row_can_take_its_values_from_facts(client):
    """On the comparison page a row with a criterion is saved with its name and no values."""
    client.force_login(make_user("boss", superuser=True))
    flask, express = make_tool("Flask"), make_tool("Express")
    license = make_criterion("License")
    make_fact(flask, license, "BSD-3-Clause")
    from .factories import make_category

    data = comparison_form_data(
        flask,
        express,
        make_category(),
        factors=[(1, "", "", "", "tie"), (2, "Speed", "Fast", "Fast", "")],
        **{"factors-0-criterion": license.pk},
    )
    response = client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 302
    row = Factor.objects.get(criterion=license)
    assert (row.name, row.value_a, row.value_b, row.edge) == ("License", "", "", "tie")
    assert any("Express has no fact for “License”" in m for m in messages_of(response))


def test_a_free_text_row_still_needs_its_values(client):
    """Without a criterion, an empty value is refused beside its field."""
    client.force_login(make_user("boss", superuser=True))
    from .factories import make_category

    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        factors=[(1, "Speed", "", "x", "")],
    )
    response = client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 200
    assert "Give a value, or choose a criterion" in response.content.decode()
