"""
Verdicts kept up to date in the open (issue 12): drafts over live articles, change notes and
the public history, facts checked, /changes/ and its feed.
"""

import json
from datetime import timedelta

import feedparser
import pytest
import reversion
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons import pending, revisions, workflow
from comparisons.models import ChangeNote, Comparison, WorkflowEvent

from .factories import make_comparison, make_editor, make_tool, make_writer
from .test_visibility import public_patterns, urls_to_visit
from .test_workflow_admin import change_url, edit_data, messages_of

pytestmark = pytest.mark.django_db

Status = Comparison.Status
PENDING_TITLE = "Pending Pelican title"
PENDING_SUMMARY = "Pending summary that readers must not see"


@pytest.fixture
def editor():
    return make_editor("eddie")


@pytest.fixture
def live():
    return make_comparison(
        make_tool("Flask"),
        make_tool("Express"),
        title="Flask vs Express",
        tags=("python", "web"),
        last_reviewed=timezone.localdate() - timedelta(days=3),
    )


def pending_edit(comparison, **fields):
    """The change form of a live article with everything a writer might change, changed."""
    data = edit_data(
        comparison,
        title=PENDING_TITLE,
        summary=PENDING_SUMMARY,
        body="## Pending section\n\nPending body text.",
        tags="python, pendingtag",
    )
    data.update(
        {
            "factors-0-value_a": "Pending factor value",
            "factors-0-edge": "b",
            "verdict-0-pick": "b",
            "verdict-0-headline": "Pending headline",
        }
    )
    data.update(fields)
    return data


def public_text(client):
    """Every public page's text, read as a reader (cached pages included)."""
    texts = []
    for route, _ in public_patterns():
        for url in urls_to_visit(route):
            response = client.get(url)
            texts.append((url, response.content.decode(errors="replace")))
    return texts


# Saving a live article keeps the changes pending ---------------------------------------------


def test_saving_a_live_article_never_changes_what_readers_see(client, live, editor):
    reader = Client()
    before = reader.get(live.get_absolute_url())["ETag"]  # now cached too
    client.force_login(editor)
    response = client.post(change_url(live), pending_edit(live))
    assert response.status_code == 302
    copy = pending.copy_of(live)
    assert copy is not None and copy.title == PENDING_TITLE
    assert response.url == change_url(copy)
    live.refresh_from_db()
    assert live.title == "Flask vs Express" and live.is_published()
    assert reader.get(live.get_absolute_url())["ETag"] == before, "the very same page"
    for url, text in public_text(reader):
        for secret in (
            PENDING_TITLE,
            PENDING_SUMMARY,
            "Pending factor value",
            "pendingtag",
            "Pending headline",
            "Pending body text",
        ):
            assert secret not in text, (url, secret)


def test_no_public_url_shows_pending_content_even_uncached(client, live, editor, settings):
    settings.NICEPICK_PAGE_CACHE = False
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    reader = Client()
    for url, text in public_text(reader):
        assert PENDING_TITLE not in text and "pendingtag" not in text, url
    assert reader.get("/tags/pendingtag/").status_code == 404
    article = reader.get(live.get_absolute_url()).content.decode()
    data = json.loads(article.split('application/ld+json">')[1].split("</script>")[0])
    assert data["headline"] == "Flask vs Express"


def test_the_change_page_of_a_live_article_leads_to_its_pending_changes(client, live, editor):
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    copy = pending.copy_of(live)
    response = client.get(change_url(live))
    assert response.status_code == 302 and response.url == change_url(copy)
    page = client.get(change_url(copy)).content.decode()
    assert "Pending changes to the live article" in page
    assert "Pick: Flask → Express" in page
    assert 'value="publish_changes"' in page and 'value="discard_changes"' in page
    changelist = client.get(reverse("admin:comparisons_comparison_changelist")).content.decode()
    assert "Live · changes pending" in changelist
    assert changelist.count(PENDING_TITLE) == 0, "the copy is not a row of its own"


def test_invalid_edits_to_a_live_article_show_errors_and_keep_nothing(client, live, editor):
    client.force_login(editor)
    response = client.post(change_url(live), pending_edit(live, title=""))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert pending.copy_of(live) is None


def test_the_preview_shows_the_pending_version(client, live, editor):
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    preview = client.get(reverse("comparisons:preview", args=[live.slug]))
    assert preview.status_code == 200
    assert PENDING_TITLE in preview.content.decode()
    assert "Live · changes pending" in preview.content.decode()


# Publishing and discarding --------------------------------------------------------------------


def test_publishing_changes_needs_a_note_when_the_verdict_changes(client, live, editor):
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    copy = pending.copy_of(live)
    with pytest.raises(workflow.WorkflowError, match="change note"):
        workflow.apply("publish_changes", copy, editor)
    with pytest.raises(workflow.WorkflowError, match="never a minor fix"):
        workflow.apply("publish_changes", copy, editor, note="Typo", minor=True)
    assert pending.copy_of(live) is not None and not ChangeNote.objects.exists()


def test_published_changes_go_live_with_a_public_history_entry(client, live, editor):
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    copy = pending.copy_of(live)
    data = pending_edit(
        copy,
        _workflow="publish_changes",
        **{"workflow-note": "Express 5 closed the gap on routing."},
    )
    response = client.post(change_url(copy), data)
    assert response.status_code == 302 and response.url == change_url(live)
    assert "are live" in " ".join(messages_of(client.get(response.url)))
    assert pending.copy_of(live) is None
    live.refresh_from_db()
    assert live.title == PENDING_TITLE and live.verdict.pick == "b"
    assert live.last_public_change is not None
    note = ChangeNote.objects.get()
    assert note.significant and note.author == editor
    assert "Pick: Flask → Express" in note.changes
    page = Client().get(live.get_absolute_url()).content.decode()
    assert PENDING_TITLE in page and "Updated" in page
    history = page[page.index('id="history"') :]
    assert "Express 5 closed the gap on routing." in history
    assert "Pick: Flask → Express" in history
    assert live.events.filter(action=WorkflowEvent.Action.CHANGES_PUBLISHED).exists()


def test_a_minor_fix_goes_live_without_an_entry_or_a_new_date(client, live, editor):
    client.force_login(editor)
    data = edit_data(live, summary="Which to choose, with a typo fixed.")
    client.post(change_url(live), data)
    copy = pending.copy_of(live)
    client.post(
        change_url(copy),
        edit_data(copy, _workflow="publish_changes", **{"workflow-minor": "on"}),
    )
    live.refresh_from_db()
    assert live.summary == "Which to choose, with a typo fixed."
    assert live.last_public_change is None and not ChangeNote.objects.exists()
    assert 'id="history"' not in Client().get(live.get_absolute_url()).content.decode()


def test_discarding_changes_leaves_the_live_article_as_it_was(client, live, editor):
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    copy = pending.copy_of(live)
    response = client.post(
        reverse("admin:comparisons_comparison_move", args=[copy.pk]),
        {"_workflow": "discard_changes"},
    )
    assert response.status_code == 302
    assert pending.copy_of(live) is None
    live.refresh_from_db()
    assert live.title == "Flask vs Express"


def test_changes_and_their_feed_list_significant_changes_newest_first(client, live, editor):
    other = make_comparison(make_tool("Django"), make_tool("Rails"))
    for article, note in ((live, "Routing caught up."), (other, "Rails 8 changed our mind.")):
        copy = pending.start(article, editor)
        verdict = copy.verdict
        verdict.pick = "b"
        verdict.save()
        workflow.apply("publish_changes", copy, editor, note=note)
    minor = pending.start(live, editor)
    minor.summary = "Small fix."
    minor.save()
    workflow.apply("publish_changes", minor, editor, note="Typo.")  # not significant
    page = Client().get(reverse("comparisons:changes")).content.decode()
    assert page.index("Rails 8 changed our mind.") < page.index("Routing caught up.")
    assert "Typo." not in page
    feed = feedparser.parse(Client().get(reverse("comparisons:changes_feed")).content)
    assert [entry.title for entry in feed.entries] == [
        "Django vs Rails: verdict changed",
        "Flask vs Express: verdict changed",
    ]


def test_json_ld_date_modified_follows_the_last_public_change(client, live, editor):
    copy = pending.start(live, editor)
    copy.summary = "A fresher summary."
    copy.save()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        workflow.apply("publish_changes", copy, editor, note="New benchmarks.")
    live.refresh_from_db()
    page = Client().get(live.get_absolute_url()).content.decode()
    data = json.loads(page.split('application/ld+json">')[1].split("</script>")[0])
    assert data["dateModified"] == live.last_public_change.isoformat()
    assert data["dateModified"] != data["datePublished"]


# Writers propose, editors decide --------------------------------------------------------------


def test_a_writer_proposes_changes_submits_them_and_an_editor_sends_them_back(client, live):
    writer = make_writer("wendy")
    client.force_login(writer)
    response = client.post(change_url(live), pending_edit(live, _workflow="submit_changes"))
    copy = pending.copy_of(live)
    assert copy.author == writer and copy.status == Status.REVIEW
    assert "submitted for review" in " ".join(messages_of(client.get(response.url)))
    editor = make_editor("eddie")
    workflow.apply("request_changes", copy, editor, note="Cite the new release notes.")
    copy.refresh_from_db()
    assert copy.status == Status.DRAFT
    assert live.events.filter(note="Cite the new release notes.").exists()


def test_a_writer_cannot_publish_changes_by_hand(client, live):
    writer = make_writer("wendy")
    client.force_login(writer)
    client.post(change_url(live), pending_edit(live, _workflow="publish_changes"))
    copy = pending.copy_of(live)
    client.post(change_url(copy), pending_edit(copy, _workflow="publish_changes"))
    client.post(
        reverse("admin:comparisons_comparison_move", args=[copy.pk]),
        {"_workflow": "publish_changes", "workflow-note": "Sneaky."},
    )
    live.refresh_from_db()
    assert live.title == "Flask vs Express"
    assert not ChangeNote.objects.exists()
    with pytest.raises(workflow.NotAllowed):
        workflow.apply("publish_changes", copy, writer, note="Sneaky.")


# Restoring a revision of a live article -------------------------------------------------------


def test_restoring_a_revision_of_a_live_article_fills_the_pending_version(client, live, editor):
    old_title = live.title
    with reversion.create_revision():
        live.save()  # its first revision
    copy = pending.start(live, editor)
    copy.title = "A newer title"
    copy.save()
    workflow.apply("publish_changes", copy, editor, note="Retitled.")
    live.refresh_from_db()
    assert live.title == "A newer title"
    first = next(v for v in revisions.versions_of(live) if v.field_dict["title"] == old_title)
    revisions.restore(live, first, editor)
    live.refresh_from_db()
    assert live.title == "A newer title", "readers still see the live version"
    assert pending.copy_of(live).title == old_title


# Facts checked --------------------------------------------------------------------------------


def test_publishing_dates_the_facts_and_readers_see_it():
    draft = make_comparison(status=Status.DRAFT)
    workflow.publish(draft, make_editor())
    draft.refresh_from_db()
    assert draft.last_reviewed == timezone.localdate()
    page = Client().get(draft.get_absolute_url()).content.decode()
    assert "Facts checked" in page and "may have changed" not in page


def test_stale_facts_get_a_polite_notice(settings):
    settings.NICEPICK_STALE_AFTER_DAYS = 30
    article = make_comparison(last_reviewed=timezone.localdate() - timedelta(days=31))
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "last checked more than 30 days ago" in page


def test_one_revision_records_the_published_changes(live, editor):
    copy = pending.start(live, editor)
    copy.title = "Retitled"
    copy.save()
    workflow.apply("publish_changes", copy, editor, note="Retitled for clarity.")
    latest = Version.objects.get_for_object(live).first()
    assert latest.field_dict["title"] == "Retitled"
    assert "Changes published." in latest.revision.get_comment()


# Feedback that becomes a correction ----------------------------------------------------------


def reader_note(article, target, **fields):
    from .test_feedback import form_data

    data = form_data(article, target=target, **fields)
    response = Client().post(reverse("comparisons:disagree", args=[article.slug]), data)
    assert response.status_code == 302, response.content[:500]
    return article.feedback.latest("created_at")


def test_readers_say_which_part_they_dispute_and_editors_see_notes_grouped(client, live, editor):
    form = Client().get(live.get_absolute_url()).content.decode()
    assert "The pick" in form and "The row “Factor 1”" in form
    reader_note(live, "pick", message="Express is simply the better pick for us.")
    reader_note(live, "factor:Factor 1", message="The values of factor one are wrong now.")
    client.force_login(editor)
    page = client.get(change_url(live)).content.decode()
    panel = page[page.index('id="reader-feedback"') :]
    assert panel.index("The pick") < panel.index("Express is simply")
    assert "Factor 1" in panel and "The values of factor one" in panel


def test_asking_to_hear_back_needs_an_address(live):
    from .test_feedback import form_data

    data = form_data(live, notify_on_change="on", email="")
    response = Client().post(reverse("comparisons:disagree", args=[live.slug]), data)
    assert response.status_code == 200
    assert "Give your e-mail address" in response.content.decode()


def test_a_correction_credits_the_readers_and_mails_only_those_who_asked_once(
    client, live, editor, mailoutbox
):
    asked = reader_note(
        live,
        "pick",
        name="Grace",
        email="grace@example.com",
        notify_on_change="on",
        may_credit="on",
        message="Express has the better router these days.",
    )
    quiet = reader_note(
        live,
        "pick",
        name="Alan",
        email="alan@example.com",
        message="I agree with Grace about Express here.",
    )
    mailoutbox.clear()
    client.force_login(editor)
    client.post(change_url(live), pending_edit(live))
    copy = pending.copy_of(live)
    data = pending_edit(copy, _workflow="publish_changes")
    data["workflow-note"] = "Readers were right: Express's router caught up."
    client.post(change_url(copy), {**data, "workflow-corrects": [asked.pk, quiet.pk]})
    note = ChangeNote.objects.get()
    assert set(note.feedback.all()) == {asked, quiet}
    history = Client().get(live.get_absolute_url()).content.decode()
    history = history[history.index('id="history"') :]
    assert "followed 2 readers' notes" in history
    assert "Grace" in history and "Alan" not in history, "only readers who agreed are named"
    corrected = [m for m in mailoutbox if m.subject.startswith("Corrected")]
    assert [m.to for m in corrected] == [["grace@example.com"]]
    workflow.notify_readers_of_correction(note)  # a second run tells nobody again
    assert len([m for m in mailoutbox if m.subject.startswith("Corrected")]) == 1
    asked.refresh_from_db()
    assert asked.notified_at is not None and asked.status == "resolved"


def test_the_history_costs_the_same_queries_with_many_entries(
    client, live, editor, django_assert_num_queries, settings
):
    settings.NICEPICK_PAGE_CACHE = False
    for n in range(6):
        copy = pending.start(live, editor)
        copy.verdict.pick = "b" if n % 2 == 0 else "a"
        copy.verdict.save()
        workflow.apply("publish_changes", copy, editor, note=f"Change {n}.")
    reader = Client()
    reader.get(live.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as six:
        reader.get(live.get_absolute_url())
    ChangeNote.objects.filter(comparison=live).exclude(note="Change 5.").delete()
    with CaptureQueriesContext(connection) as one:
        reader.get(live.get_absolute_url())
    assert len(six) == len(one) <= 8


def test_unpublishing_keeps_the_pending_work_as_the_drafts_text(live, editor):
    copy = pending.start(live, editor)
    copy.title = "Work in progress"
    copy.save()
    workflow.unpublish(live, editor)
    live.refresh_from_db()
    assert live.status == Status.DRAFT and live.title == "Work in progress"
    assert pending.copy_of(live) is None


def test_pressing_unpublish_on_an_unchanged_live_page_starts_no_pending_changes(
    client, live, editor
):
    client.force_login(editor)
    response = client.post(change_url(live), edit_data(live, _workflow="unpublish"))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.status == Status.DRAFT
    assert not Comparison.objects.filter(draft_of=live).exists()


def test_a_preview_link_shows_the_pending_changes_of_a_live_article(client, live, editor):
    from comparisons import previews

    copy = pending.start(live, editor)
    copy.title = PENDING_TITLE
    copy.save()
    link = previews.create(copy, editor)
    assert link.comparison == live
    page = Client().get(previews.url_for(link))
    assert page.status_code == 200 and PENDING_TITLE in page.content.decode()


def test_scheduled_changes_go_live_at_their_time_with_their_note(client, live, editor):
    copy = pending.start(live, editor)
    copy.verdict.pick = "b"
    copy.verdict.save()
    when = timezone.now() + timedelta(hours=2)
    with pytest.raises(workflow.WorkflowError, match="change note"):
        workflow.apply("schedule_changes", copy, editor, when=when)
    workflow.apply("schedule_changes", copy, editor, note="Routing caught up.", when=when)
    copy.refresh_from_db()
    assert workflow.state_label(copy).startswith("Live · changes scheduled for")
    assert pending.publish_due() == 0
    assert Client().get(live.get_absolute_url()).content.decode().count("Routing caught up.") == 0
    with time_machine.travel(when + timedelta(minutes=1)):
        client.force_login(editor)
        client.get(reverse("admin:index"))  # without a worker, the dashboard publishes them
    live.refresh_from_db()
    assert live.verdict.pick == "b" and pending.copy_of(live) is None
    assert ChangeNote.objects.get().note == "Routing caught up."


def test_the_worker_command_publishes_due_changes(live, editor):
    from django.core.management import call_command

    copy = pending.start(live, editor)
    copy.summary = "Freshened."
    copy.save()
    when = timezone.now() + timedelta(minutes=30)
    workflow.apply("schedule_changes", copy, editor, note="Freshened.", when=when)
    with time_machine.travel(when + timedelta(seconds=1)):
        call_command("publishdue")
    live.refresh_from_db()
    assert live.summary == "Freshened."


def test_in_production_the_task_worker_is_asked_to_publish_at_the_time(live, editor, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    copy = pending.start(live, editor)
    copy.summary = "Freshened."
    copy.save()
    when = timezone.now() + timedelta(hours=3)
    workflow.apply("schedule_changes", copy, editor, note="Freshened.", when=when)
    task = DBTaskResult.objects.get(task_path="comparisons.tasks.publish_due_changes")
    assert abs((task.run_after - when).total_seconds()) < 1


def test_publishing_changes_keeps_factor_rows_that_come_from_facts(live, editor):
    """Found by make chaos: rows from facts lost their criterion on publishing changes."""
    from .factories import add_fact_row, make_criterion, make_fact

    licence = make_criterion("License", slug="license")
    make_fact(live.tool_a, licence, "BSD-3-Clause")
    make_fact(live.tool_b, licence, "MIT")
    add_fact_row(live, licence, edge="tie")
    live.version_a = "3.1"
    live.save()
    copy = pending.start(live, editor)
    copy.summary = "Freshened."
    copy.save()
    workflow.apply("publish_changes", copy, editor, note="Freshened.")
    row = live.factors.get(criterion=licence)
    assert row.edge == "tie"
    live.refresh_from_db()
    assert live.version_a == "3.1"
    assert "BSD-3-Clause" in Client().get(live.get_absolute_url()).content.decode()
