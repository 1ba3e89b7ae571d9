"""The editors' dashboard on the admin index."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from comparisons import workflow
from comparisons.models import Comparison

from .factories import make_comparison, make_editor, make_writer

pytestmark = pytest.mark.django_db

Status = Comparison.Status
INDEX = reverse("admin:index")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def section(page, element_id):
    """The HTML of one dashboard box."""
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</div>", start)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_review_queue_oldest_submission_first(client, frozen):
    writer = make_writer("wendy")
    newer = make_comparison(status=Status.DRAFT, author=writer, title="Submitted second")
    older = make_comparison(status=Status.DRAFT, author=writer, title="Submitted first")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        workflow.submit(older, writer)
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        workflow.submit(newer, writer)
    client.force_login(make_editor())
    queue = section(client.get(INDEX).content.decode(), "review-queue")
    assert queue.index("Submitted first") < queue.index("Submitted second")
    assert "wendy" in queue


def test_scheduled_with_their_times_soonest_first(client, frozen):
    make_comparison(published_at=NOW + timedelta(days=9), title="Goes later")
    make_comparison(published_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC), title="Goes soon")
    make_comparison(title="Already live")
    client.force_login(make_editor())
    scheduled = section(client.get(INDEX).content.decode(), "scheduled")
    assert scheduled.index("Goes soon") < scheduled.index("Goes later")
    assert "3 Dec 2026 09:00" in scheduled
    assert "Already live" not in scheduled


def test_my_drafts_are_only_mine(client, frozen):
    me = make_editor("eddie")
    make_comparison(status=Status.DRAFT, author=me, title="My own draft")
    make_comparison(status=Status.DRAFT, author=make_writer(), title="Someone else's draft")
    make_comparison(status=Status.REVIEW, author=me, title="My draft in review")
    client.force_login(me)
    drafts = section(client.get(INDEX).content.decode(), "my-drafts")
    assert "My own draft" in drafts
    assert "Someone else" not in drafts and "in review" not in drafts


def test_stale_comparisons_oldest_first_and_marking_reviewed_clears_them(client, frozen, settings):
    settings.NICEPICK_STALE_AFTER_DAYS = 180
    make_comparison(last_reviewed=date(2026, 1, 10), title="Checked in January")
    make_comparison(last_reviewed=date(2025, 6, 1), title="Checked last year")
    make_comparison(last_reviewed=None, title="Never checked")
    fresh = make_comparison(last_reviewed=date(2026, 10, 1), title="Checked in October")
    make_comparison(status=Status.DRAFT, last_reviewed=None, title="A stale draft")
    editor = make_editor()
    client.force_login(editor)
    stale = section(client.get(INDEX).content.decode(), "stale")
    assert "over 180 days" in stale
    order = ["Never checked", "Checked last year", "Checked in January"]
    assert [stale.index(title) for title in order] == sorted(stale.index(t) for t in order)
    assert fresh.title not in stale and "A stale draft" not in stale
    january = Comparison.objects.get(title="Checked in January")
    client.post(
        reverse("admin:comparisons_comparison_changelist"),
        {"action": "reviewed_selected", "_selected_action": [january.pk]},
    )
    january.refresh_from_db()
    assert january.last_reviewed == date(2026, 11, 24)
    assert january.events.get().action == "reviewed"
    assert "Checked in January" not in section(client.get(INDEX).content.decode(), "stale")


def test_writers_see_the_dashboard_without_publish_controls(client):
    writer = make_writer("wendy")
    make_comparison(status=Status.DRAFT, author=writer, title="Wendy's draft")
    client.force_login(writer)
    page = client.get(INDEX).content.decode()
    assert "Wendy&#x27;s draft" in section(page, "my-drafts")


def test_the_dashboard_costs_the_same_queries_whatever_its_length(
    client, django_assert_max_num_queries
):
    client.force_login(make_editor())
    for n in range(8):
        make_comparison(status=Status.REVIEW, title=f"Waiting {n}")
        make_comparison(published_at=datetime(2031, 1, 1 + n, tzinfo=UTC))
    with django_assert_max_num_queries(15):
        client.get(INDEX)


def test_writers_see_their_own_work_and_the_editors_note_not_the_queues(client):
    """Issue 13: a writer's dashboard is their drafts, submissions and what editors asked."""
    writer, editor = make_writer("wendy"), make_editor("eddie")
    returned = make_comparison(status=Comparison.Status.DRAFT, author=writer, title="Returned")
    workflow.submit(returned, writer)
    workflow.request_changes(returned, editor, "Add the licence row, please.")
    waiting = make_comparison(status=Comparison.Status.DRAFT, author=writer, title="Waiting")
    workflow.submit(waiting, writer)
    make_comparison(status=Comparison.Status.REVIEW, title="Someone else's submission")
    client.force_login(writer)
    page = client.get(reverse("admin:index")).content.decode()
    drafts = page[page.index('id="my-drafts"') :]
    assert "Returned" in drafts and "Add the licence row, please." in drafts
    assert "Waiting" in page[page.index('id="my-submissions"') :]
    assert 'id="review-queue"' not in page and "Someone else's submission" not in page


def test_editors_are_warned_when_notifications_reach_nobody(client, settings):
    settings.FEEDBACK_NOTIFY = []
    editor = make_editor("eddie")
    client.force_login(editor)
    assert 'id="nobody-notified"' not in client.get(reverse("admin:index")).content.decode()
    type(editor).objects.update(email="")
    assert "Notifications reach nobody" in client.get(reverse("admin:index")).content.decode()


def test_ensureadmin_warns_when_no_editor_has_an_address(capsys, monkeypatch, settings):
    from django.core.management import call_command

    settings.FEEDBACK_NOTIFY = []
    monkeypatch.setenv("NICEPICK_ADMIN_PASSWORD", "a-long-password-for-tests")
    call_command("ensureadmin")
    assert "reach nobody" in capsys.readouterr().out
