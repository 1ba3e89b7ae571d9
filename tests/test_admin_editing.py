"""The writing tools of the comparison page: tag suggestions, factor columns and order, alt text."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from comparisons.models import Comparison
from comparisons.rendering import images_without_alt

from .factories import make_comparison, make_tool, make_user, make_writer
from .test_admin import comparison_form_data

pytestmark = pytest.mark.django_db

SUGGEST = "/admin/comparisons/comparison/tags/suggest/"


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", superuser=True))
    return client


def change_data(comparison, factors, **fields):
    """POST data for a comparison's change page: its fields and verdict, with these rows."""
    data = comparison_form_data(
        comparison.tool_a,
        comparison.tool_b,
        comparison.category,
        title=comparison.title,
        slug=comparison.slug,
        body=comparison.body,
        **{
            "factors-TOTAL_FORMS": str(len(factors)),
            "factors-INITIAL_FORMS": str(sum(1 for row in factors if "id" in row)),
            "verdict-TOTAL_FORMS": "1",
            "verdict-INITIAL_FORMS": "1",
            "verdict-0-id": comparison.verdict.pk,
            "verdict-0-comparison": comparison.pk,
            "verdict-0-pick": "a",
            "verdict-0-headline": "A wins",
            "verdict-0-reason": "Because.",
        },
    )
    for index, row in enumerate(factors):
        data.update({f"factors-{index}-{key}": value for key, value in row.items()})
    data.update(fields)
    return data


def factor_row(factor, position):
    return {
        "id": factor.pk,
        "comparison": factor.comparison_id,
        "position": position,
        "name": factor.name,
        "value_a": factor.value_a,
        "value_b": factor.value_b,
        "edge": factor.edge,
    }


# Tag suggestions ---------------------------------------------------------------------------


def test_tag_suggestions_offer_existing_tags_that_match(editor_client):
    """Tags starting with what was typed come first, then the most used ones containing it."""
    make_comparison(tags=("python", "cpython-internals"))
    make_comparison(tags=("python", "cpython-internals", "web"))
    make_comparison(tags=("pytest",))
    response = editor_client.get(SUGGEST, {"q": "PY"})
    assert response.status_code == 200
    assert response.json() == {
        "tags": [
            {"name": "python", "uses": 2},
            {"name": "pytest", "uses": 1},
            {"name": "cpython-internals", "uses": 2},
        ]
    }
    assert editor_client.get(SUGGEST, {"q": "rust"}).json() == {"tags": []}


def test_tag_suggestions_with_hostile_queries_answer_empty_lists_not_errors(editor_client):
    """NUL bytes (refused by PostgreSQL), SQL wildcards and huge queries are only text."""
    make_comparison(tags=("python",))
    for query in ("\x00py", "%", "_", "'; drop table x; --", "p" * 10_000):
        response = editor_client.get(SUGGEST, {"q": query})
        assert response.status_code == 200, query
    assert editor_client.get(SUGGEST, {"q": "\x00py"}).json()["tags"][0]["name"] == "python"
    assert editor_client.get(SUGGEST, {"q": "%"}).json() == {"tags": []}


def test_tag_suggestions_are_for_staff_only(client):
    """Anonymous visitors and readers with an account are sent to the login; no tag leaks."""
    make_comparison(tags=("secret-plans",))
    response = client.get(SUGGEST, {"q": "secret"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(get_user_model().objects.create_user("reader", password="x-pass-123"))
    response = client.get(SUGGEST, {"q": "secret"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_tag_suggestions_need_permission_on_comparisons(client):
    """A staff member who may not see comparisons is refused (403)."""
    make_comparison(tags=("secret-plans",))
    client.force_login(make_user("clerk", staff=True))
    assert client.get(SUGGEST, {"q": "secret"}).status_code == 403


def test_writers_get_tag_suggestions(client):
    """Writers tag their drafts too."""
    make_comparison(tags=("python",))
    client.force_login(make_writer())
    assert client.get(SUGGEST, {"q": "py"}).json()["tags"][0]["name"] == "python"


def test_tag_input_still_takes_new_comma_separated_tags(editor_client):
    """The suggestions are an aid: new tags typed by hand are saved as before."""
    data = comparison_form_data(
        make_tool("Flask"), make_tool("Express"), make_comparison().category, tags="brand new, web"
    )
    response = editor_client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Comparison.objects.get(slug="flask-vs-express")
    assert sorted(created.tags.names()) == ["brand new", "web"]


def test_tag_input_points_at_the_suggestions(editor_client):
    """The tag input carries the endpoint's address for its script."""
    html = editor_client.get(reverse("admin:comparisons_comparison_add")).content.decode()
    assert f'data-suggest-url="{SUGGEST}"' in html
    assert "comparisons/admin/tags.js" in html


# Factor rows -------------------------------------------------------------------------------


def test_factor_columns_are_headed_by_the_tools_names(editor_client):
    """ "Flask" and "Express" head the value columns and name the edge choices."""
    comparison = make_comparison(make_tool("Flask"), make_tool("Express"), factors=1)
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th class="column-value_a">Flask' in html
    assert '<th class="column-value_b">Express' in html
    assert '<option value="a" selected>Flask</option>' in html  # the row's edge
    assert '<option value="b">Express</option>' in html
    factor_table = html.split('id="factors-group"')[1].split("</table>")[0]
    assert "Tool A" not in factor_table and "Tool B" not in factor_table


def test_factor_columns_say_tool_a_and_b_until_the_tools_are_chosen(editor_client):
    """A new comparison, or a draft without tools, still shows readable headers."""
    html = editor_client.get(reverse("admin:comparisons_comparison_add")).content.decode()
    assert '<th class="column-value_a">Tool A' in html
    assert '<th class="column-value_b">Tool B' in html


def test_factor_position_is_a_hidden_field_and_values_are_textareas(editor_client):
    """Rows are ordered by dragging, not by typing numbers; values get room to be read."""
    comparison = make_comparison(factors=2)
    html = editor_client.get(
        reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    ).content.decode()
    assert '<input type="hidden" name="factors-0-position"' in html
    assert '<textarea name="factors-0-value_a"' in html
    assert "Sortable-1.15.7.min.js" in html and "comparisons/admin/factors.js" in html


def test_saved_positions_set_the_order_readers_see(editor_client):
    """The order the page sends (renumbered on drop) is the order on the article."""
    comparison = make_comparison(factors=3, status="draft")
    first, second, third = comparison.factors.all()
    data = change_data(
        comparison, [factor_row(first, 3), factor_row(second, 1), factor_row(third, 2)]
    )
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [f.name for f in comparison.factors.all()] == ["Factor 2", "Factor 3", "Factor 1"]
    preview = reverse("comparisons:preview", args=[comparison.slug])
    page = editor_client.get(preview).content.decode()
    assert page.index("Factor 2") < page.index("Factor 3") < page.index("Factor 1")


def test_new_rows_without_a_position_go_last(editor_client):
    """Without JavaScript nothing numbers a new row: it is added after the others."""
    comparison = make_comparison(factors=2, status="draft")
    first, second = comparison.factors.all()
    new_row = {"position": "0", "name": "Licence", "value_a": "BSD", "value_b": "MIT", "edge": ""}
    data = change_data(comparison, [factor_row(first, 1), factor_row(second, 2), new_row])
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [(f.name, f.position) for f in comparison.factors.all()] == [
        ("Factor 1", 1),
        ("Factor 2", 2),
        ("Licence", 3),
    ]


def test_blank_new_rows_numbered_by_the_page_are_left_out(editor_client):
    """The script numbers the empty rows of a new page too; they are not half-filled factors."""
    comparison = make_comparison(factors=1)
    blank = {"position": "2", "name": "", "value_a": "", "value_b": "", "edge": ""}
    data = change_data(comparison, [factor_row(comparison.factors.get(), 1), blank])
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert comparison.factors.count() == 1


def test_factor_values_are_kept_on_one_line(editor_client):
    """A line break typed in a value's box does not end up in the table cell."""
    comparison = make_comparison(factors=1, status="draft")
    row = {**factor_row(comparison.factors.get(), 1), "value_a": "Worker\r\nprocesses  "}
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, change_data(comparison, [row]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert comparison.factors.get().value_a == "Worker processes"


# Images without alt text -------------------------------------------------------------------


def test_images_without_alt_are_found_in_markdown():
    """Empty, blank and missing descriptions count; described images do not."""
    body = '![](/media/a.png) ![A chart](/media/b.png) ![  ](/media/c.png) <img src="/d.png">'
    assert images_without_alt(body) == ["/media/a.png", "/media/c.png", "/d.png"]
    assert images_without_alt("No images here.") == []


def test_saving_an_image_without_alt_text_warns_but_saves(editor_client):
    """A warning names the image; the text is saved all the same."""
    comparison = make_comparison(factors=1, status="draft")
    body = "## Setup\n\n![](/media/uploads/chart.png)\n\n![Latency by framework](/media/x.png)"
    data = change_data(comparison, [factor_row(comparison.factors.get(), 1)], body=body)
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data, follow=True)
    comparison.refresh_from_db()
    assert comparison.body == body
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert (
        "1 image in the body has no description (alt text): /media/uploads/chart.png"
        in (warnings[0])
    )


def test_saving_described_images_gives_no_warning(editor_client):
    """No warning when every image is described."""
    comparison = make_comparison(factors=1)
    data = change_data(
        comparison,
        [factor_row(comparison.factors.get(), 1)],
        body="![Latency by framework](/media/x.png)",
    )
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_the_preview_is_styled_with_the_readers_stylesheet(editor_client):
    """The editor knows where the site's CSS is, to draw the preview as readers see it."""
    html = editor_client.get(reverse("admin:comparisons_comparison_add")).content.decode()
    assert 'data-preview-css="/static/comparisons/admin/preview.css ' in html
    assert '/static/comparisons/site.css"' in html
    assert "comparisons/admin/editor.js" in html and "comparisons/admin/unsaved.js" in html
