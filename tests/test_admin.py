"""The admin: every page loads, and a whole comparison is written on one page."""

import io

import markdownx.forms
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from comparisons.models import Category, Comparison, Factor, Tool, Verdict
from comparisons.rendering import render_markdown

from .factories import make_category, make_comparison, make_tool, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", superuser=True))
    return client


def comparison_form_data(tool_a, tool_b, category, factors=(), verdict=None, **fields):
    """POST data for the comparison add page, inlines included."""
    data = {
        "title": f"{tool_a.name} vs {tool_b.name}",
        "slug": "",
        "subtitle": "",
        "summary": "Which one to choose.",
        "category": category.pk,
        "tool_a": tool_a.pk,
        "tool_b": tool_b.pk,
        "tags": "python, web",
        "body": "## Why\n\nIt depends, but less than you think.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "last_reviewed": "",
        "factors-TOTAL_FORMS": str(len(factors)),
        "factors-INITIAL_FORMS": "0",
        "factors-MIN_NUM_FORMS": "0",
        "factors-MAX_NUM_FORMS": "1000",
        "verdict-TOTAL_FORMS": "1" if verdict else "0",
        "verdict-INITIAL_FORMS": "0",
        "verdict-MIN_NUM_FORMS": "0",
        "verdict-MAX_NUM_FORMS": "1",
    }
    for index, (position, name, value_a, value_b, edge) in enumerate(factors):
        data.update(
            {
                f"factors-{index}-position": position,
                f"factors-{index}-name": name,
                f"factors-{index}-value_a": value_a,
                f"factors-{index}-value_b": value_b,
                f"factors-{index}-edge": edge,
            }
        )
    for key, value in (verdict or {}).items():
        data[f"verdict-0-{key}"] = value
    data.update(fields)
    return data


def test_every_admin_page_loads(editor_client):
    """Changelists (with search and filters), add and change pages answer 200."""
    comparison = make_comparison()
    for model, obj in (
        (Comparison, comparison),
        (Tool, comparison.tool_a),
        (Category, comparison.category),
    ):
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert editor_client.get(changelist).status_code == 200
        assert editor_client.get(changelist, {"q": "tool"}).status_code == 200
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert editor_client.get(add).status_code == 200
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert editor_client.get(change).status_code == 200
    changelist = reverse("admin:comparisons_comparison_changelist")
    response = editor_client.get(changelist, {"status__exact": "published"})
    assert comparison.title in response.content.decode()
    assert editor_client.get(reverse("admin:index")).status_code == 200


def test_add_page_has_the_markdown_editor_and_prepopulated_slug(editor_client):
    """The body uses the markdownx editor with its preview; the slug follows the title."""
    html = editor_client.get(reverse("admin:comparisons_comparison_add")).content.decode()
    assert 'class="markdownx"' in html and "markdownx-preview" in html
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "markdownx/js/markdownx" in html
    assert "prepopulated_fields" in html or "data-prepopulated-fields" in html
    assert 'id="factors-group"' in html and 'id="verdict-group"' in html


def test_editor_writes_a_whole_comparison_on_one_page(editor_client):
    """Fields, factor rows, verdict and tags are saved together from the add page."""
    flask, express, fastapi = make_tool("Flask"), make_tool("Express"), make_tool("FastAPI")
    data = comparison_form_data(
        flask,
        express,
        make_category(),
        factors=[
            (2, "Language", "Python", "JavaScript", ""),
            (1, "Async", "Add-on", "Native", "b"),
            (3, "Templates", "Jinja2 built in", "Bring your own", "a"),
        ],
        verdict={
            "pick": "b",
            "headline": "Ecosystem wins",
            "reason": "npm covers everything.",
            "use_a_if": "You live in Python.",
            "use_b_if": "You ship JavaScript.",
            "consider_tool": fastapi.pk,
            "consider_note": "Typed async Python.",
            "bottom_line": "Go with your language.",
        },
    )
    response = editor_client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comparison = Comparison.objects.get()
    assert comparison.slug == "flask-vs-express"
    assert comparison.author.username == "editor"
    assert comparison.body_html.startswith('<h2 id="why">Why</h2>')
    assert sorted(comparison.tags.names()) == ["python", "web"]
    assert [f.name for f in comparison.factors.all()] == ["Async", "Language", "Templates"]
    assert comparison.verdict.picked_tool == express
    assert comparison.verdict.consider_tool == fastapi


def test_reversed_pair_gets_a_form_error_not_a_500(editor_client):
    """Adding Express-vs-Flask beside Flask-vs-Express shows an error beside tool B."""
    flask, express = make_tool("Flask"), make_tool("Express")
    make_comparison(flask, express, title="Flask vs Express")
    data = comparison_form_data(express, flask, make_category(), title="Express vs Flask")
    response = editor_client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "already compared in “Flask vs Express”" in errors["tool_b"][0]
    assert Comparison.objects.count() == 1
    assert "Express vs Flask" in response.content.decode()  # what was typed is kept


def test_same_tool_twice_gets_a_form_error(editor_client):
    """Choosing one tool for both sides is refused beside tool B."""
    flask = make_tool("Flask")
    data = comparison_form_data(flask, flask, make_category())
    response = editor_client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tool_b"] == ["Pick a tool other than tool A."]


def test_add_another_factor_on_an_existing_comparison(editor_client):
    """The change page keeps existing rows and adds a new one."""
    comparison = make_comparison(factors=1, status="draft")
    factor = comparison.factors.get()
    data = comparison_form_data(
        comparison.tool_a,
        comparison.tool_b,
        comparison.category,
        title=comparison.title,
        slug=comparison.slug,
        **{
            "factors-TOTAL_FORMS": "2",
            "factors-INITIAL_FORMS": "1",
            "factors-0-id": factor.pk,
            "factors-0-comparison": comparison.pk,
            "factors-0-position": "1",
            "factors-0-name": factor.name,
            "factors-0-value_a": factor.value_a,
            "factors-0-value_b": factor.value_b,
            "factors-0-edge": "a",
            "factors-1-position": "2",
            "factors-1-name": "Licence",
            "factors-1-value_a": "BSD-3-Clause",
            "factors-1-value_b": "MIT",
            "factors-1-edge": "tie",
            "verdict-TOTAL_FORMS": "1",
            "verdict-INITIAL_FORMS": "1",
            "verdict-0-id": comparison.verdict.pk,
            "verdict-0-comparison": comparison.pk,
            "verdict-0-pick": "a",
            "verdict-0-headline": "Still A",
            "verdict-0-reason": "Because.",
        },
    )
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(comparison.factors.values_list("name", "edge")) == [
        ("Factor 1", "a"),
        ("Licence", "tie"),
    ]
    assert Verdict.objects.get().headline == "Still A"
    assert Factor.objects.count() == 2


# The editor's endpoints -------------------------------------------------------------------


def image_file(fmt, name, size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_preview_renders_with_the_article_renderer(editor_client):
    """The live preview returns the same sanitised HTML that readers get."""
    response = editor_client.post(
        "/markdownx/markdownify/", {"content": "## Hi\n\n<script>x()</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode() == render_markdown("## Hi\n\n<script>x()</script>")
    assert response.content.decode().strip() == '<h2 id="hi">Hi</h2>'


def test_preview_without_content_is_a_bad_request(editor_client):
    """A malformed preview request is answered 400, not 500."""
    assert editor_client.post("/markdownx/markdownify/", {}).status_code == 400


@pytest.mark.parametrize("url", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_editor_endpoints_are_staff_only(client, url):
    """Anonymous visitors and non-staff users are sent to the admin login."""
    response = client.post(url, {"content": "# x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(get_user_model().objects.create_user("reader", password="x-pass-123"))
    response = client.post(url, {"content": "# x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "fmt, name, content_type", [("PNG", "a.png", "image/png"), ("JPEG", "a.jpg", "image/jpeg")]
)
def test_upload_accepts_png_and_jpeg(editor_client, settings, fmt, name, content_type):
    """PNG and JPEG images are stored and answered with Markdown to insert."""
    upload = SimpleUploadedFile(name, image_file(fmt, name).read(), content_type=content_type)
    response = editor_client.post(
        "/markdownx/upload/", {"image": upload}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["image_code"].startswith("![](/media/uploads/")
    assert any((settings.MEDIA_ROOT / "uploads").iterdir())


GIF_BYTES = image_file("GIF", "a.gif").read()


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("a.gif", GIF_BYTES, "image/gif", "File type is not supported."),
        ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "not supported"),
        ("fake.png", b"<?php echo 1; ?>", "image/png", "not a readable image"),
        ("gif.png", GIF_BYTES, "image/png", "Only PNG and JPEG"),
    ],
)
def test_upload_refuses_other_files(editor_client, settings, name, content, content_type, message):
    """Other types, and files that only claim to be PNG, are refused with a message."""
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = editor_client.post("/markdownx/upload/", {"image": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_upload_refuses_files_over_the_size_cap(editor_client, monkeypatch):
    """An image larger than the cap is refused, with the sizes in the message."""
    # markdownx reads MARKDOWNX_UPLOAD_MAX_SIZE once, at import.
    monkeypatch.setattr(markdownx.forms, "MARKDOWNX_UPLOAD_MAX_SIZE", 100)
    content = image_file("PNG", "big.png", size=(400, 400)).read()
    upload = SimpleUploadedFile("big.png", content, content_type="image/png")
    response = editor_client.post("/markdownx/upload/", {"image": upload})
    assert response.status_code == 400
    assert "size" in response.content.decode().lower()
