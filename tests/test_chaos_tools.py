"""
The cheap parts of `make chaos` (bench/chaos.py): the proxy that makes a server hang or go
down, the mail sink, the form reader and the report's cells. The run itself is not part of
the suite (it takes minutes); see README, "Chaos".
"""

import smtplib
import socket
import socketserver
import threading
from email.message import EmailMessage

import pytest

from bench import chaos


@pytest.fixture
def echo():
    """A server on loopback that sends back what it receives."""

    class Echo(socketserver.BaseRequestHandler):
        def handle(self):
            while data := self.request.recv(4096):
                self.request.sendall(data)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(echo):
    proxy = chaos.FaultProxy(echo, "echo")
    yield proxy
    proxy.close()


def connect(proxy):
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    sock.settimeout(0.5)
    return sock


def test_the_proxy_forwards_both_ways(proxy):
    with connect(proxy) as sock:
        sock.sendall(b"hello")
        assert sock.recv(100) == b"hello"


def test_a_frozen_server_accepts_and_holds_everything_until_it_is_healed(proxy):
    with connect(proxy) as before:
        before.sendall(b"warm")
        assert before.recv(100) == b"warm"
        proxy.freeze()
        before.sendall(b"one")
        with pytest.raises(TimeoutError):
            before.recv(100)
        during = connect(proxy)  # still accepted, as by a stopped server's kernel
        during.sendall(b"two")
        with pytest.raises(TimeoutError):
            during.recv(100)
        proxy.heal()
        before.settimeout(5)
        during.settimeout(5)
        assert before.recv(100) == b"one"
        assert during.recv(100) == b"two"
        during.close()


def test_a_refusing_server_resets_open_connections_and_refuses_new_ones(proxy):
    with connect(proxy) as sock:
        sock.sendall(b"hello")
        assert sock.recv(100) == b"hello"
        proxy.refuse()
        sock.settimeout(5)
        with pytest.raises(OSError):  # reset (or closed) by the proxy
            sock.sendall(b"again")
            if sock.recv(100) == b"":
                raise ConnectionResetError("closed")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    proxy.heal()
    with connect(proxy) as sock:  # the same port serves again
        sock.sendall(b"back")
        assert sock.recv(100) == b"back"


def test_the_mail_sink_keeps_what_it_receives():
    sink = chaos.SmtpSink()
    try:
        message = EmailMessage()
        message["Subject"] = "Reader feedback"
        message["From"] = "site@example.com"
        message["To"] = "editors@example.com"
        message.set_content("chaosnote-baseline-0: first line\n.a line starting with a dot\n")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            client.send_message(message)
        (body,) = sink.bodies()
        assert "chaosnote-baseline-0" in body
        assert "\n.a line starting with a dot" in body
    finally:
        sink.close()


PAGE = """
<form id="other" action="/search/"><input name="q" value="x"></form>
<form class="disagree-form" action="/compare/a/disagree/"
  data-stamp-url="/compare/a/disagree/stamp/">
  <input type="hidden" name="stamp" value="">
</form>
<form id="comparison_form" action="" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="title" value="Flask &amp; Express">
  <input name="locked" value="no" disabled>
  <input type="checkbox" name="featured" checked>
  <input type="checkbox" name="hidden_flag">
  <input type="radio" name="pick" value="a"><input type="radio" name="pick" value="b" checked>
  <textarea name="summary">
chaosmark3 · Both are small.</textarea>
  <select name="category">
    <option value="1">Web</option><option value="2" selected>Data</option>
  </select>
  <select name="tool_a"><option value="">---------</option><option value="7">Flask</option></select>
  <select name="tags" multiple>
    <option value="5" selected>py</option><option value="6">js</option>
  </select>
  <input type="submit" name="_save" value="Save">
</form>
"""


def test_forms_are_read_as_a_browser_would_send_them():
    form = chaos.find_form(PAGE, form_id="comparison_form")
    assert form.fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "Flask & Express"),
        ("featured", "on"),
        ("pick", "b"),
        ("summary", "chaosmark3 · Both are small."),
        ("category", "2"),
        ("tool_a", ""),
        ("tags", "5"),
    ]
    assert form.choices == {"pick": ["a", "b"]}
    changed = form.values(summary="new", extra="1")
    assert ("summary", "new") in changed and ("extra", "1") in changed
    assert chaos.find_form(PAGE, action_contains="/search/").id == "other"
    disagree = chaos.find_form(PAGE, action_contains="/disagree/")
    assert disagree.attrs["data-stamp-url"] == "/compare/a/disagree/stamp/"
    assert disagree.fields == [("stamp", "")]
    assert chaos.find_form(PAGE, action_contains="/nowhere/") is None


def answers(*pairs):
    return [chaos.Response(status, seconds) for status, seconds in pairs]


def test_the_readers_cell_counts_answers_with_median_and_worst_wait():
    responses = answers((200, 0.004), (200, 0.006), ("timeout", 10.0), (200, 0.002))
    assert chaos.readers_cell(responses) == "200 ×3, timeout ×1 · p50 5 ms · max 10 s"
    assert chaos.readers_cell([]) == "—"


def test_healthz_is_summarised_by_its_parts_even_with_multiline_errors():
    body = (
        "unhealthy\n"
        "database: down (OperationalError: connection failed\n"
        "\tIs the server running on that host?)\n"
        "page cache: ok\n"
        "invalidation state: ok\n"
        "mail queue: unknown (the queue lives in the database)\n"
    )
    assert chaos.healthz_summary(503, body) == "503 database down, mail queue unknown"
    assert chaos.healthz_summary(200, "ok\ndatabase: ok\npage cache: ok\n") == "200 all ok"
    assert chaos.healthz_summary("refused", "") == "refused"


def test_stale_pages_within_the_version_memo_are_told_apart_from_later_ones():
    assert chaos.stale_cell([]) == "0"
    stale = [("/", 0.3, "during"), ("/", 2.5, "after"), ("/tags/python/", 4.0, "during")]
    cell = chaos.stale_cell(stale, memo=1.0)
    assert cell.startswith("1 within 1 s")
    assert "2 later, up to 4.0 s after the commit** (during and after)" in cell


def test_the_table_escapes_cells_and_a_skipped_or_failed_scenario_says_why():
    scenario = chaos.Scenario("state-dir-full", "full disk", None, None, config="file")
    row = chaos.Outcome(scenario, skipped="cannot mount a tmpfs").row()
    table = chaos.markdown_table(["scenario", "result"], [[row[0], "a | b"]])
    assert table.splitlines() == [
        "| scenario | result |",
        "|---|---|",
        "| state-dir-full | a \\| b |",
    ]
    assert row[1] == "skipped: cannot mount a tmpfs"
    failed = chaos.Outcome(scenario, failed="RuntimeError: no change form").row()
    assert failed[1] == "the run failed: RuntimeError: no change form"
    assert len(row) == len(chaos.HEADERS)
