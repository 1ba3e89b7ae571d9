"""The model layer: constraints, derived fields and what `published()` lets readers see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comparisons.models import Comparison

from .factories import make_category, make_comparison, make_tool

pytestmark = pytest.mark.django_db


def test_reversed_pair_is_refused_by_the_database():
    """Express-vs-Flask cannot be stored beside Flask-vs-Express."""
    flask, express = make_tool("Flask"), make_tool("Express")
    make_comparison(flask, express)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(
            title="Express vs Flask", tool_a=express, tool_b=flask, category=make_category()
        )
    assert Comparison.objects.count() == 1


def test_same_pair_twice_is_refused_by_the_database():
    """The same ordered pair cannot be stored twice under another slug."""
    flask, express = make_tool("Flask"), make_tool("Express")
    make_comparison(flask, express)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(
            title="Again", slug="again", tool_a=flask, tool_b=express, category=make_category()
        )


def test_same_tool_on_both_sides_is_refused_by_the_database():
    """A tool cannot be compared with itself."""
    flask = make_tool("Flask")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(
            title="Flask vs Flask", tool_a=flask, tool_b=flask, category=make_category()
        )


def test_validation_names_the_existing_article_for_a_reversed_pair():
    """full_clean explains the clash beside tool B, naming the article that exists."""
    flask, express = make_tool("Flask"), make_tool("Express")
    make_comparison(flask, express, title="Flask vs Express")
    duplicate = Comparison(
        title="Express vs Flask", tool_a=express, tool_b=flask, category=make_category()
    )
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "Flask vs Express" in caught.value.message_dict["tool_b"][0]


def test_validation_refuses_the_same_tool_twice():
    """full_clean puts a clear error beside tool B."""
    flask = make_tool("Flask")
    same = Comparison(title="Flask vs Flask", tool_a=flask, tool_b=flask, category=make_category())
    with pytest.raises(ValidationError) as caught:
        same.full_clean()
    assert caught.value.message_dict["tool_b"] == ["Pick a tool other than tool A."]


def test_drafts_without_tools_do_not_clash():
    """Two drafts that have not chosen their tools yet can both be saved."""
    category = make_category()
    Comparison.objects.create(title="Idea one", category=category)
    Comparison.objects.create(title="Idea two", category=category)
    assert Comparison.objects.count() == 2


def test_slug_defaults_to_the_tool_pair():
    """Without a slug, the article's address is <tool_a>-vs-<tool_b>."""
    comparison = make_comparison(make_tool("Flask"), make_tool("Express"), slug="")
    assert comparison.slug == "flask-vs-express"
    assert comparison.get_absolute_url() == "/compare/flask-vs-express/"


def test_slugs_are_unique():
    """Two articles cannot share an address."""
    make_comparison(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comparison(slug="same")


def test_body_is_rendered_and_timed_on_save():
    """Saving stores sanitised HTML and a reading time derived from the text."""
    comparison = make_comparison(body="## Setup\n\n" + "word " * 1000)
    assert comparison.body_html.startswith('<h2 id="setup">Setup</h2>')
    assert comparison.reading_minutes == 6  # 1000 body words + summary at 200 words a minute

    comparison.body = "Short."
    comparison.save()
    comparison.refresh_from_db()
    assert comparison.body_html == "<p>Short.</p>"
    assert comparison.reading_minutes == 1


def test_publishing_without_a_time_stamps_now():
    """Setting status to published with no time publishes it now."""
    comparison = make_comparison(status=Comparison.Status.DRAFT)
    assert comparison.published_at is None
    comparison.status = Comparison.Status.PUBLISHED
    comparison.save()
    assert comparison.published_at <= timezone.now()
    assert comparison.is_published()


def test_published_excludes_everything_readers_must_not_see():
    """Draft, in review, archived and future-scheduled comparisons are not published()."""
    live = make_comparison(title="Live")
    make_comparison(title="Draft", status=Comparison.Status.DRAFT)
    make_comparison(title="Review", status=Comparison.Status.REVIEW)
    make_comparison(
        title="Archived",
        status=Comparison.Status.ARCHIVED,
        published_at=timezone.now() - timedelta(days=3),
    )
    make_comparison(title="Scheduled", published_at=timezone.now() + timedelta(minutes=5))
    assert list(Comparison.objects.published()) == [live]


def test_scheduled_comparison_goes_live_when_its_time_comes(time_machine):
    """A future publication time needs no job: published() includes it once the time passes."""
    scheduled = make_comparison(published_at=timezone.now() + timedelta(hours=2))
    assert not Comparison.objects.published().exists()
    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert list(Comparison.objects.published()) == [scheduled]
