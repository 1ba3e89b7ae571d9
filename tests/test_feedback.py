"""The “Disagree?” form: storing, refusing, anti-spam, the editors' inbox and the tally."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons import antispam
from comparisons.models import Comparison, Feedback

from .conftest import TEST_READER
from .factories import make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db

MESSAGE = "Express has the bigger middleware ecosystem for our team."


@pytest.fixture
def article():
    return make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")


def disagree_url(comparison):
    return reverse("comparisons:disagree", args=[comparison.slug])


def form_data(comparison, **overrides):
    data = {
        "would_pick": "b",
        "message": MESSAGE,
        "name": "Grace",
        "email": "grace@example.com",
        "website": "",
        "stamp": shown_earlier(comparison),
    }
    data.update(overrides)
    return data


def shown_earlier(comparison, seconds=10):
    """The stamp of a form shown to a reader of `comparison` a little while ago."""
    return antispam.issue_stamp(time.time() - seconds, article=comparison.slug, reader=TEST_READER)


def post(client, comparison, meta=None, **overrides):
    meta = {"REMOTE_ADDR": "203.0.113.7", **(meta or {})}
    return client.post(disagree_url(comparison), form_data(comparison, **overrides), **meta)


# Showing the form -----------------------------------------------------------------------------


def test_every_article_ends_with_the_form_with_tool_names_and_labels(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    form = page[page.index('<form class="disagree-form"') :]
    assert f'action="{disagree_url(article)}"' in form
    for label in ("Flask", "Express", "Something else"):
        assert label in form
    assert '<label for="id_message">Why?</label>' in form
    stamp_input = form[form.index('name="stamp"') - 40 : form.index('name="stamp"') + 60]
    assert "value=" not in stamp_input, "the same page for everyone: no stamp yet"
    assert "csrfmiddlewaretoken" not in page
    standalone = client.get(disagree_url(article))
    assert standalone.status_code == 200
    assert 'name="message"' in standalone.content.decode()


def test_the_form_does_not_exist_for_unpublished_comparisons(client):
    draft = make_comparison(status=Comparison.Status.DRAFT)
    assert client.get(disagree_url(draft)).status_code == 404
    assert post(client, draft).status_code == 404
    assert not Feedback.objects.exists()


# A good submission ----------------------------------------------------------------------------


def test_a_valid_submission_is_stored_redirects_to_thanks_and_tells_the_editors(
    client, article, django_capture_on_commit_callbacks
):
    editor = make_editor("eddie")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, meta={"HTTP_USER_AGENT": "Mozilla/5.0 " + "x" * 500})
    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}?feedback=sent#disagree"
    feedback = Feedback.objects.get()
    assert (feedback.would_pick, feedback.message, feedback.status) == ("b", MESSAGE, "new")
    assert (feedback.name, feedback.email) == ("Grace", "grace@example.com")
    assert len(feedback.user_agent) == 200
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert MESSAGE in mail.outbox[0].body and "Express" in mail.outbox[0].body
    thanks = client.get(response.url).content.decode()
    assert "Thank you — your note reached the editors." in thanks


def test_feedback_notify_setting_overrides_the_editors(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_NOTIFY = ["inbox@example.com"]
    make_editor("eddie")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article)
    assert [m.to for m in mail.outbox] == [["inbox@example.com"]]


def test_a_failing_mail_server_loses_no_feedback(
    client, article, settings, caplog, django_capture_on_commit_callbacks
):
    make_editor("eddie")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1
    assert "Could not send" in caplog.text


def test_the_raw_ip_address_is_never_stored(client, article):
    post(client, article)
    feedback = Feedback.objects.get()
    row = " ".join(str(value) for value in Feedback.objects.values().get().values())
    assert "203.0.113.7" not in row
    assert feedback.ip_hash == antispam.hash_ip("203.0.113.7")


# Bad input: errors beside fields, the text kept ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("would_pick", "", "Choose which you would pick."),
        ("would_pick", "c", "Select a valid choice."),
        ("message", "", "Tell us why, in a sentence or two."),
        ("message", "Too short", "at least 10 characters"),
        ("message", "x" * 5001, "at most 5000 characters"),
        ("email", "not-an-address", "Enter an e-mail address"),
        ("name", "n" * 101, "at most 100 characters"),
    ],
)
def test_each_invalid_field_is_refused_beside_it_with_everything_kept(
    client, article, field, value, error
):
    response = post(client, article, **{field: value})
    assert response.status_code == 200
    page = response.content.decode()
    field_error = f'id="{field.replace("_", "-") if field == "would_pick" else field}-error"'
    assert field_error in page
    assert error in page
    kept = {"message": MESSAGE, "name": "Grace", "email": "grace@example.com"}
    kept.pop(field, None)
    for text in kept.values():
        assert text in page
    assert 'aria-invalid="true"' in page
    assert not Feedback.objects.exists()


def test_a_post_from_another_site_is_refused_without_the_readers_cookie(article):
    """
    The stamp is bound to the reader's cookie: another site can make a browser post, but not
    with a stamp for that browser's cookie (SameSite=Lax keeps it off a cross-site POST).
    """
    victim = Client()
    attacker_stamp = antispam.issue_stamp(
        time.time() - 10, article=article.slug, reader="the-attackers-own-cookie"
    )
    response = post(victim, article, stamp=attacker_stamp)
    assert response.status_code == 200
    assert "did not send back the cookie" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_stamp_endpoint_gives_a_stamp_with_its_cookie_and_is_never_cached(article):
    browser = Client()
    del browser.cookies[antispam.READER_COOKIE]
    response = browser.get(reverse("comparisons:disagree_stamp", args=[article.slug]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    cookie = response.cookies[antispam.READER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    stamp = response.json()["stamp"]
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert post(browser, article, stamp=stamp).status_code == 302
    draft = make_comparison(status=Comparison.Status.DRAFT)
    assert browser.get(reverse("comparisons:disagree_stamp", args=[draft.slug])).status_code == 404


def test_without_javascript_the_first_send_asks_once_more_and_loses_nothing(article):
    """No stamp (no script): the text comes back with a stamp; sending again stores it."""
    browser = Client()
    del browser.cookies[antispam.READER_COOKIE]
    data = form_data(article, stamp="")
    first = browser.post(disagree_url(article), data)
    assert first.status_code == 200
    page = first.content.decode()
    assert "One more step" in page and MESSAGE in page
    assert not Feedback.objects.exists()
    stamp = page.split('name="stamp" value="')[1].split('"')[0]
    assert stamp and antispam.READER_COOKIE in first.cookies
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        second = browser.post(disagree_url(article), {**data, "stamp": stamp})
    assert second.status_code == 302
    assert Feedback.objects.get().message == MESSAGE


# Anti-spam ------------------------------------------------------------------------------------


def test_the_honeypot_pretends_success_and_stores_nothing(client, article):
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 302
    assert "feedback=sent" in response.url
    assert not Feedback.objects.exists()


def test_too_fast_too_old_and_tampered_stamps_are_refused_with_the_text_kept(client, article):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamp = antispam.issue_stamp(article=article.slug, reader=TEST_READER)
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        fast = post(client, article, stamp=stamp)
    with time_machine.travel(start + timedelta(days=1, seconds=1), tick=False):
        old = post(client, article, stamp=stamp)
    tampered = post(client, article, stamp=stamp[:-3] + "abc")
    forged = post(client, article, stamp=signing.dumps({"n": "x", "t": 0}, salt="other"))
    for response, message in (
        (fast, "quicker than we expect"),
        (old, "opened too long ago"),
        (tampered, "could not be checked"),
        (forged, "could not be checked"),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert MESSAGE in page
        new_stamp = page.split('name="stamp" value="')[1].split('"')[0]
        assert new_stamp != stamp
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert post(client, article, stamp=stamp).status_code == 302
    assert Feedback.objects.count() == 1


def test_the_rate_limit_answers_429_keeps_the_text_and_resets(client, article, settings):
    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (5, 600)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamps = [shown_earlier(article) for _ in range(7)]
        for stamp in stamps[:5]:
            assert post(client, article, stamp=stamp).status_code == 302
        limited = post(client, article, stamp=stamps[5], message="The sixth note, kept.")
        assert limited.status_code == 429
        assert "please wait a little" in limited.content.decode()
        assert "The sixth note, kept." in limited.content.decode()
        other_reader = client.post(
            disagree_url(article), form_data(article), REMOTE_ADDR="198.51.100.1"
        )
        assert other_reader.status_code == 302
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        assert post(client, article, stamp=shown_earlier(article)).status_code == 302
    assert Feedback.objects.count() == 7


def test_trusted_proxy_setting_decides_which_address_counts(rf, settings):
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert antispam.client_ip(request) == "10.0.0.1"
    settings.NICEPICK_TRUSTED_PROXIES = 1
    assert antispam.client_ip(request) == "203.0.113.9"


def test_a_double_submit_stores_one_row(client, article):
    data = form_data(article)
    first = client.post(disagree_url(article), data, REMOTE_ADDR="203.0.113.7")
    second = client.post(disagree_url(article), data, REMOTE_ADDR="203.0.113.7")
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Feedback.objects.count() == 1


def test_a_database_failure_apologises_and_keeps_the_text(client, article, monkeypatch):
    from django.db import OperationalError

    def broken_save(*args, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(Feedback, "save", broken_save)
    response = post(client, article)
    assert response.status_code == 503
    page = response.content.decode()
    assert "could not save your note just now" in page
    assert MESSAGE in page


# The tally ------------------------------------------------------------------------------------


def test_the_tally_counts_readers_without_spam_in_one_query(client, article):
    picks = ["a"] * 9 + ["b"] * 3 + ["other"] * 2
    Feedback.objects.bulk_create(
        Feedback(comparison=article, would_pick=pick, message="m" * 12, token=f"t{n}", ip_hash="h")
        for n, pick in enumerate(picks)
    )
    Feedback.objects.create(
        comparison=article,
        would_pick="b",
        message="spam" * 5,
        token="spam",
        ip_hash="h",
        status=Feedback.Status.SPAM,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "14 readers wrote in:" in page
    assert "9 would pick Flask, 3 Express, 2 something else." in page


# The editors' inbox ---------------------------------------------------------------------------


def test_the_inbox_lists_filters_searches_and_escapes(client, article):
    Feedback.objects.create(
        comparison=article,
        would_pick="b",
        token="t1",
        ip_hash="h",
        message="<script>alert('x')</script> Express is nicer",
    )
    client.force_login(make_editor("eddie"))
    changelist = reverse("admin:comparisons_feedback_changelist")
    page = client.get(changelist).content.decode()
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    assert "Express" in page and "Flask vs Express" in page
    for query in (
        {"status__exact": "new"},
        {"would_pick__exact": "b"},
        {"q": "nicer"},
        {"comparison__id__exact": article.pk},
    ):
        response = client.get(changelist, query)
        assert response.status_code == 200
        assert "Express is nicer" in response.content.decode()
    feedback = Feedback.objects.get()
    detail = client.get(reverse("admin:comparisons_feedback_change", args=[feedback.pk]))
    assert "&lt;script&gt;" in detail.content.decode()
    assert "<script>alert" not in detail.content.decode()


@pytest.mark.parametrize(
    "action, status", [("mark_read", "read"), ("mark_resolved", "resolved"), ("mark_spam", "spam")]
)
def test_bulk_triage_actions(client, article, action, status):
    for n in range(3):
        Feedback.objects.create(
            comparison=article, would_pick="a", message="m" * 12, token=f"t{n}", ip_hash="h"
        )
    client.force_login(make_editor("eddie"))
    client.post(
        reverse("admin:comparisons_feedback_changelist"),
        {"action": action, "_selected_action": list(Feedback.objects.values_list("pk", flat=True))},
    )
    assert set(Feedback.objects.values_list("status", flat=True)) == {status}


def test_marking_notes_as_spam_in_bulk_updates_the_readers_tally_at_once(client, article):
    """Issue 13, defect 5: the bulk action used to leave the cached tally stale."""
    for n in range(3):
        Feedback.objects.create(
            comparison=article, would_pick="b", message="m" * 12, token=f"t{n}", ip_hash="h"
        )
    reader = Client()
    assert "3 readers wrote in" in reader.get(article.get_absolute_url()).content.decode()
    client.force_login(make_editor("eddie"))
    spam = list(Feedback.objects.values_list("pk", flat=True)[:2])
    client.post(
        reverse("admin:comparisons_feedback_changelist"),
        {"action": "mark_spam", "_selected_action": spam},
    )
    assert "1 reader wrote in" in reader.get(article.get_absolute_url()).content.decode()


def test_the_comparison_page_and_the_dashboard_show_feedback_counts(client, article):
    Feedback.objects.create(
        comparison=article, would_pick="a", message="m" * 12, token="1", ip_hash="h"
    )
    Feedback.objects.create(
        comparison=article, would_pick="a", message="m" * 12, token="2", ip_hash="h", status="read"
    )
    client.force_login(make_editor("eddie"))
    change = client.get(reverse("admin:comparisons_comparison_change", args=[article.pk]))
    assert "Reader feedback (2, 1 new)" in change.content.decode()
    assert f"?comparison__id__exact={article.pk}" in change.content.decode()
    assert "Reader feedback: 1 new" in client.get(reverse("admin:index")).content.decode()


# Many readers at once (PostgreSQL) ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's concurrent writers (CI runs it with DATABASE_URL set)",
)
def test_fifty_submissions_from_ten_threads_store_fifty_rows(article):
    from django.db import connections

    errors = []

    def reader(thread):
        client = Client()
        try:
            for n in range(5):
                response = client.post(
                    disagree_url(article),
                    form_data(article, message=f"Thread {thread} note {n}: Express wins for us."),
                    REMOTE_ADDR=f"198.51.100.{thread}",
                )
                if response.status_code != 302:
                    errors.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(t,)) for t in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Feedback.objects.count() == 50
