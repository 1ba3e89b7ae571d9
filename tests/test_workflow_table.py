"""
One owner for the workflow rules (issue 12, step 1): the buttons a user sees are exactly the
moves the server accepts, for every state and role; and the moves added since.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons import pending, workflow
from comparisons.models import Comparison, WorkflowEvent

from .factories import make_comparison, make_editor, make_user, make_writer
from .test_workflow_admin import change_url, edit_data, messages_of

pytestmark = pytest.mark.django_db

Status = Comparison.Status


class Rollback(Exception):
    pass


def in_state(state, author):
    """A complete comparison by `author` in `state` (for the changes states: its pending copy)."""
    if state in (workflow.CHANGES, workflow.CHANGES_REVIEW):
        live = in_state(workflow.PUBLISHED, make_editor("ed-of-the-live-one"))
        copy = pending.start(live, author)
        if state == workflow.CHANGES_REVIEW:
            Comparison.objects.filter(pk=copy.pk).update(status=Status.REVIEW)
            copy.refresh_from_db()
        return copy
    now = timezone.now()
    status, published_at = {
        workflow.DRAFT: (Status.DRAFT, None),
        workflow.REVIEW: (Status.REVIEW, None),
        workflow.SCHEDULED: (Status.PUBLISHED, now + timedelta(days=2)),
        workflow.PUBLISHED: (Status.PUBLISHED, now - timedelta(days=2)),
        workflow.ARCHIVED: (Status.ARCHIVED, now - timedelta(days=9)),
    }[state]
    return make_comparison(status=status, published_at=published_at, author=author)


def accepted_by_the_server(user, comparison):
    """Every move of the table tried for real (and rolled back): the ones that went through."""
    accepted = set()
    for name in workflow.TRANSITIONS:
        try:
            with transaction.atomic():
                workflow.apply(
                    name,
                    Comparison.objects.get(pk=comparison.pk),
                    user,
                    note="A note for the record.",
                    when=timezone.now() + timedelta(days=5),
                )
                raise Rollback
        except Rollback:
            accepted.add(name)
        except workflow.WorkflowError:
            pass
    return accepted


BUTTON = re.compile(r'<button[^>]*name="_workflow" value="([a-z_]+)"[^>]*>')
FORMACTION = re.compile(r'formaction="([^"]+)"')


def buttons_on_the_change_page(client, comparison):
    """{move name: where its button posts (None: the change form itself)}."""
    page = client.get(change_url(comparison)).content.decode()
    buttons = {}
    for match in BUTTON.finditer(page):
        target = FORMACTION.search(match.group(0))
        buttons[match.group(1)] = target.group(1) if target else None
    return buttons


def press(client, comparison, name, target):
    """Press a workflow button as a browser would; True when the move was made."""
    extra = {
        "_workflow": name,
        "workflow-note": "A note for the record.",
        "workflow-when": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
    }
    if target is None:
        response = client.post(change_url(comparison), edit_data(comparison, **extra))
    else:
        response = client.post(target, extra)
    article = comparison.draft_of if comparison.is_pending_copy() else comparison
    moves = WorkflowEvent.objects.filter(comparison=article).exclude(
        action=WorkflowEvent.Action.CHANGES_STARTED
    )
    return response.status_code == 302 and moves.exists()


@pytest.mark.parametrize("state", workflow.STATES)
@pytest.mark.parametrize("role", ["author", "other writer", "editor", "superuser"])
def test_the_buttons_shown_are_exactly_the_moves_the_server_accepts(client, state, role):
    author = make_writer("wendy")
    user = {
        "author": author,
        "other writer": make_writer("walt"),
        "editor": make_editor("eddie"),
        "superuser": make_user("root", superuser=True),
    }[role]
    comparison = in_state(state, author)
    client.force_login(user)
    buttons = buttons_on_the_change_page(client, comparison)
    assert set(buttons) == accepted_by_the_server(user, comparison)
    assert set(buttons) == set(workflow.moves_for(user, comparison))
    for name, target in buttons.items():  # and each button really makes its move
        try:
            with transaction.atomic():
                assert press(client, Comparison.objects.get(pk=comparison.pk), name, target), name
                raise Rollback
        except Rollback:
            pass


def test_the_table_names_the_contract_moves():
    """DESIGN §10: the names posted as `_workflow=<name>`."""
    assert {
        "submit",
        "withdraw",
        "publish",
        "schedule",
        "request_changes",
        "unpublish",
        "to_draft",
        "archive",
        "reviewed",
    } <= set(workflow.TRANSITIONS)


def test_changelist_actions_come_from_the_table(client):
    make_comparison()
    client.force_login(make_editor())
    page = client.get(reverse("admin:comparisons_comparison_changelist")).content.decode()
    for name, transition in workflow.TRANSITIONS.items():
        if transition.bulk:
            assert f'value="{name}_selected"' in page


def test_a_writer_withdraws_their_submission_and_keeps_working(client):
    writer = make_writer("wendy")
    comparison = in_state(workflow.REVIEW, writer)
    client.force_login(writer)
    target = buttons_on_the_change_page(client, comparison)["withdraw"]
    assert target is not None, "nothing to save on a submission: the button moves alone"
    response = client.post(target, {"_workflow": "withdraw"}, follow=True)
    assert "withdrawn from review" in " ".join(messages_of(response))
    comparison.refresh_from_db()
    assert comparison.status == Status.DRAFT
    assert comparison.events.get().action == WorkflowEvent.Action.WITHDRAWN


def test_only_the_author_may_withdraw(client):
    comparison = in_state(workflow.REVIEW, make_writer("wendy"))
    for other in (make_writer("walt"), make_editor("eddie")):
        with pytest.raises(workflow.NotAllowed):
            workflow.withdraw(comparison, other)
    assert Comparison.objects.get().status == Status.REVIEW


def test_republishing_an_archived_article_keeps_its_date(client):
    """Issue 13, defect 7: it used to be re-dated to the moment it came back."""
    editor = make_editor()
    comparison = in_state(workflow.ARCHIVED, None)
    first_published = comparison.published_at
    workflow.unpublish(comparison, editor)  # archived → draft
    workflow.publish(comparison, editor)
    comparison.refresh_from_db()
    assert comparison.published_at == first_published
    assert comparison.is_published()


def test_a_first_publication_is_dated_now():
    editor = make_editor()
    comparison = in_state(workflow.DRAFT, None)
    before = timezone.now()
    workflow.publish(comparison, editor)
    comparison.refresh_from_db()
    assert comparison.published_at >= before


def test_save_and_move_writes_one_revision(client):
    """Issue 13, defect 10: "Save and publish" wrote "Edited." and "Published." separately."""
    editor = make_editor()
    comparison = in_state(workflow.DRAFT, editor)
    client.force_login(editor)
    data = edit_data(comparison, title="Renamed and published", _workflow="publish")
    assert client.post(change_url(comparison), data).status_code == 302
    versions = Version.objects.get_for_object(comparison)
    assert versions.count() == 1
    assert versions.get().revision.get_comment() == "Edited. Published."
    assert versions.get().field_dict["title"] == "Renamed and published"


def test_submitting_says_who_was_told(client):
    """Issue 13, defect 3: "the editors have been told" when nobody could be."""
    writer = make_writer("wendy")
    comparison = in_state(workflow.DRAFT, writer)
    editors = Group.objects.get(name="Editors")
    editor = make_editor("eddie")
    editor.email = ""
    editor.save()
    client.force_login(writer)
    response = client.post(change_url(comparison), edit_data(comparison, _workflow="submit"))
    said = " ".join(messages_of(response))
    assert "nobody was told" in said and "have been told" not in said
    editor.email = "eddie@example.com"
    editor.save()
    assert editors.user_set.count() == 1
    workflow.withdraw(comparison, writer)
    response = client.post(change_url(comparison), edit_data(comparison, _workflow="submit"))
    assert "1 editor has been told" in " ".join(messages_of(response))
