"""
`make chaos`: the site under faults, as its readers and editors see them (issue 11).

One bounded run on loopback (two to three minutes):

1. A throw-away PostgreSQL database (`CHAOS_DATABASE`, default `nicepick_chaos`) gets the demo
   content (`loaddemo`) and an admin; static files are collected into a temporary folder.
2. The site runs as `make serve` runs it — `nicepick/serve.sh`, gunicorn and the mail worker —
   with production settings (DJANGO_DEBUG=0, a generated secret) on a free port of 127.0.0.1.
   Its database, Redis and mail server are reached through ports this script owns: a
   `FaultProxy` in front of the real PostgreSQL, one in front of a private `redis-server`, and
   one in front of `SmtpSink`, a mail server that counts what it receives. A fault is a proxy
   that hangs (`freeze`: connections stay open, no byte moves) or refuses (`refuse`: open
   connections reset, new ones refused); the shared servers are never touched.
3. Each scenario, one after another: readers warm the cache; the fault starts; readers read
   the home page, an article, a tag, a tool and a search, /healthz is asked, readers send notes
   (the "Disagree?" form, with its stamp and CSRF token) while an editor saves a change to the
   article's summary in the admin, and readers keep reading; the fault ends; then the site is
   watched until /healthz is healthy again, notes answered with an error are sent again (from
   the page that kept their text, or resubmitted as a browser would), the editor saves again
   if that failed, and the mail sink is watched for each stored note's notification.
   A page is *stale* when it shows an older summary than the one committed (read straight from
   PostgreSQL) before the page was asked for.
4. A table (scenario → what readers saw, /healthz, notes sent/stored, mail delivered, the
   editor's save, stale pages, recovery) is printed and kept in `bench/data/chaos-latest.md`;
   figures we quote go to `bench/CHAOS.md`.

Everything it starts (the site, redis-server, proxies, the mail sink, a tmpfs) and the
database are removed at the end, on failure and on Ctrl-C too; `--deadline` bounds the run.
"""

import argparse
import contextlib
import email
import html.parser
import http.client
import http.cookiejar
import json
import os
import platform
import re
import secrets
import select
import shutil
import signal
import socket
import socketserver
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.policy import default as default_policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
LOOPBACK = "127.0.0.1"

ARTICLE = "flask-vs-express"
PAGES = {
    "home": "/",
    "article": f"/compare/{ARTICLE}/",
    "tag": "/tags/python/",
    "tool": "/tools/flask/",
    "search": "/search/?q=flask",
}
# The editor's change puts "chaosmark<N> · " in front of the article's summary; every page
# that shows the summary shows the mark, so a page showing a smaller N than the database is stale.
MARK = re.compile(r"chaosmark(\d+)")
NOTE_PREFIX = "chaosnote"
READ_TIMEOUT = 10  # seconds a reader waits for a page
WRITE_TIMEOUT = 40  # a note or a save: longer than gunicorn's 30 s, to see what the server does
FEEDBACK_MIN_SECONDS = 0.2
# The site's default NICEPICK_VERSION_MEMO_SECONDS (the run does not change it): a process
# trusts the tag versions it read for this long, so a page this late after a change is by design.
VERSION_MEMO_SECONDS = 1.0


def log(message):
    print(f"chaos: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


# Fault points -----------------------------------------------------------------------------------


class FaultProxy:
    """
    A TCP proxy on 127.0.0.1 in front of a real server, with the faults a chaos run needs.

    - `freeze()`: the server hangs. Open connections stay open and new ones are accepted (the
      kernel completes them and acknowledges what clients send, as for a stopped process),
      but no byte moves either way until `heal()`; then everything held flows again.
    - `refuse()`: the server is down. Open connections are reset and new ones refused (the
      port stays ours: bound, not listening).
    - `heal()`: forwarding again, on the same port.
    """

    def __init__(self, upstream, name="proxy"):
        self.upstream = upstream
        self.name = name
        self.mode = "forward"
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = self._bind(0)
        self.port = self._listener.getsockname()[1]
        self._listen()

    def __repr__(self):
        return f"<FaultProxy {self.name} :{self.port} → {self.upstream[1]} {self.mode}>"

    # Faults

    def freeze(self):
        self.mode = "frozen"
        self._flowing.clear()

    def refuse(self):
        self.mode = "refused"
        with self._lock:
            listener = self._listener
        listener.close()
        self._reset_all()
        with self._lock:
            self._listener = self._bind(self.port)  # bound, not listening: refused
        self._flowing.set()

    def heal(self):
        if self.mode == "refused":
            self._listen()
        self.mode = "forward"
        self._flowing.set()

    def close(self):
        self._closed.set()
        self._flowing.set()
        with self._lock:
            self._listener.close()
        self._reset_all()

    def connections(self):
        with self._lock:
            return len(self._sockets)

    # Plumbing

    def _bind(self, port):
        deadline = time.monotonic() + 3
        while True:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((LOOPBACK, port))
                return sock
            except OSError:
                # The closed listener lives on until the thread watching it lets go (≤ 0.1 s).
                sock.close()
                if not port or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _listen(self):
        with self._lock:
            listener = self._listener
        listener.listen(64)
        threading.Thread(
            target=self._accept_loop, args=(listener,), daemon=True, name=f"{self.name}-accept"
        ).start()

    def _accept_loop(self, listener):
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select([listener], [], [], 0.1)
                if not ready:
                    continue
                client, _ = listener.accept()
            except (OSError, ValueError):  # closed by refuse() or close()
                return
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock):
        with self._lock:
            self._sockets.add(sock)

    def _drop(self, *sockets):
        for sock in sockets:
            with self._lock:
                self._sockets.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()

    def _reset_all(self):
        with self._lock:
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked on it
            with contextlib.suppress(OSError):
                sock.close()

    def _alive(self, *sockets):
        return not self._closed.is_set() and all(sock.fileno() != -1 for sock in sockets)

    def _wait_flowing(self, *sockets):
        while not self._flowing.wait(0.1):
            if not self._alive(*sockets):
                return False
        return self._alive(*sockets)

    def _serve(self, client):
        if not self._wait_flowing(client):  # a connection made while frozen waits here
            self._drop(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            self._drop(client)
            return
        upstream.settimeout(None)
        self._track(upstream)
        back = threading.Thread(target=self._pump, args=(upstream, client), daemon=True)
        back.start()
        self._pump(client, upstream)
        back.join()
        self._drop(client, upstream)

    def _pump(self, source, target):
        while self._wait_flowing(source, target):
            try:
                ready, _, _ = select.select([source], [], [], 0.1)
                if not ready:
                    continue
                data = source.recv(65536)
            except (OSError, ValueError):
                break
            if not data:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            if not self._wait_flowing(source, target):  # frozen mid-way: hold the bytes
                break
            try:
                target.sendall(data)
            except OSError:
                break
        self._drop(source, target)


class SmtpSink:
    """A mail server on 127.0.0.1 that accepts every message and keeps it in `messages`."""

    def __init__(self):
        sink = self
        self.messages = []
        self._lock = threading.Lock()

        class Handler(socketserver.StreamRequestHandler):
            timeout = 10

            def handle(self):
                sink._converse(self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        with self._lock:
            return [message.get_body(("plain",)).get_content() for message in self.messages]

    def _converse(self, rfile, wfile):
        def reply(line):
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 chaos-sink ESMTP")
        while line := rfile.readline():
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                reply("250 chaos-sink")
            elif command == b"DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (row := rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(row[1:] if row.startswith(b"..") else row)
                message = email.message_from_bytes(b"".join(lines), policy=default_policy)
                with self._lock:
                    self.messages.append(message)
                reply("250 OK: queued")
            elif command == b"QUIT":
                reply("221 Bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                reply("250 OK")


# A reader's or an editor's browser -------------------------------------------------------------


@dataclass
class Response:
    """What a browser got: an HTTP status, or "timeout", "refused", "reset", "error"."""

    status: object
    seconds: float
    body: str = ""
    location: str = ""
    started: float = 0.0

    @property
    def ok(self):
        return self.status == 200


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def failure_kind(error):
    """A network failure as a reader would name it."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    broken = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)
    if isinstance(reason, broken + (http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "reset"
    return "error"


class Browser:
    """Cookies kept, redirects not followed, a deadline on every request."""

    def __init__(self, base, timeout=READ_TIMEOUT):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects
        )

    def get(self, path, timeout=None):
        return self._send(urllib.request.Request(self.base + path), timeout)

    def post(self, path, fields, timeout=None):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        return self._send(request, timeout)

    def _send(self, request, timeout):
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout or self.timeout) as answer:
                body = answer.read().decode("utf-8", "replace")
                status, location = answer.status, ""
        except urllib.error.HTTPError as error:
            try:
                body = error.read().decode("utf-8", "replace")
            except Exception as failure:
                return Response(failure_kind(failure), time.monotonic() - started, started=started)
            status, location = error.code, error.headers.get("Location", "")
        except Exception as error:  # the network's answer, whatever it is, is the measurement
            return Response(failure_kind(error), time.monotonic() - started, started=started)
        return Response(status, time.monotonic() - started, body, location, started)


@dataclass
class Form:
    action: str
    id: str
    attrs: dict = field(default_factory=dict)
    fields: list = field(default_factory=list)  # (name, value) as a browser would send them
    choices: dict = field(default_factory=dict)  # radio name -> values offered

    def values(self, **changes):
        """The fields to send, with `changes` replacing (or adding) values."""
        sent = [(name, changes.get(name, value)) for name, value in self.fields]
        names = {name for name, _ in self.fields}
        sent += [(name, value) for name, value in changes.items() if name not in names]
        return sent


class FormParser(html.parser.HTMLParser):
    """The forms of a page and what a browser would send for each (no button pressed)."""

    SKIPPED = {"submit", "button", "image", "reset", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = self._textarea = self._select = self._option = None

    @classmethod
    def parse(cls, page):
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser.forms

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "form":
            self._form = Form(
                attributes.get("action") or "", attributes.get("id") or "", attributes
            )
            self.forms.append(self._form)
            return
        if self._form is None or (tag != "option" and (not name or "disabled" in attributes)):
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            value = attributes.get("value") or ""
            if kind in self.SKIPPED:
                return
            if kind == "radio":
                self._form.choices.setdefault(name, []).append(value)
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self._form.fields.append((name, value or "on"))
                return
            self._form.fields.append((name, value))
        elif tag == "textarea":
            self._textarea = (name, [])
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), [], "selected" in attributes]
            self._select["options"].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            text = text[2:] if text.startswith("\r\n") else text[1:] if text[:1] == "\n" else text
            self._form.fields.append((name, text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = [
                (value if value is not None else "".join(text).strip(), chosen)
                for value, text, chosen in self._select["options"]
            ]
            chosen = [value for value, picked in options if picked]
            if not chosen and options and not self._select["multiple"]:
                chosen = [options[0][0]]
            self._form.fields += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "form":
            self._form = None


def find_form(page, action_contains="", form_id=""):
    for form in FormParser.parse(page):
        if form_id and form.id == form_id:
            return form
        if action_contains and action_contains in form.action:
            return form
    return None


# Figures ---------------------------------------------------------------------------------------


def duration(seconds):
    """Seconds as a person reads them: 4 ms, 380 ms, 2.1 s, 31 s."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.1f} s"
    return f"{seconds:.0f} s"


def statuses(responses):
    """'200 ×12, timeout ×3': each answer and how often, commonest first."""
    counts = Counter(str(response.status) for response in responses)
    return ", ".join(f"{status} ×{count}" for status, count in counts.most_common())


def readers_cell(responses):
    """What readers saw: their answers, the median and the longest wait."""
    if not responses:
        return "—"
    times = [response.seconds for response in responses]
    return (
        f"{statuses(responses)} · p50 {duration(statistics.median(times))}"
        f" · max {duration(max(times))}"
    )


def stale_cell(stale, memo=None):
    """
    How many stale pages readers got, and how late. Pages up to NICEPICK_VERSION_MEMO_SECONDS
    (1 s) after the commit are the design's bound (each process trusts the versions it read
    for that long); later ones are counted apart, with the phase they were seen in.
    """
    memo = VERSION_MEMO_SECONDS if memo is None else memo
    if not stale:
        return "0"
    late = [(age, phase) for _, age, phase in stale if age > memo]
    within = len(stale) - len(late)
    parts = []
    if within:
        parts.append(f"{within} within {memo:g} s (the version memo)")
    if late:
        worst = max(age for age, _ in late)
        phases = " and ".join(sorted({phase for _, phase in late}, reverse=True))
        parts.append(f"**{len(late)} later, up to {duration(worst)} after the commit** ({phases})")
    return "; ".join(parts)


def markdown_table(headers, rows):
    def cell(value):
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def healthz_summary(status, body):
    """'200 all ok', '200 degraded: page cache', '503 database timeout'."""
    if not isinstance(status, int):
        return str(status)
    parts = dict(re.findall(r"^([a-z][a-z /]*): ([a-z]+)", body, re.MULTILINE))
    bad = [f"{name} {state}" for name, state in parts.items() if state != "ok"]
    return f"{status} " + ("all ok" if not bad else ", ".join(bad))


@contextlib.contextmanager
def workers(count):
    """A thread pool that, when the run is interrupted, does not wait for its requests."""
    pool = ThreadPoolExecutor(count)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


# Processes -------------------------------------------------------------------------------------


def _process_table():
    """{pid: (parent pid, start time)} of every process now."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        table[int(entry)] = (int(fields[1]), fields[19])
    return table


def descendants(pid):
    """(pid, start time) of every process below `pid`, to stop them by id later."""
    table = _process_table()
    children = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append((child, table[child][1]))
            stack.append(child)
    return found


def kill_remembered(processes, sig=signal.SIGKILL):
    """Signal each remembered process that still runs (same pid, same start time)."""
    table = _process_table()
    for pid, started in processes:
        if table.get(pid, (None, None))[1] == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


class Site:
    """The site as `make serve` runs it: nicepick/serve.sh (gunicorn and the mail worker)."""

    def __init__(self, env, log_path, base):
        self.env = env
        self.log_path = log_path
        self.base = base
        self.process = None
        self.family = []

    def start(self):
        log(f"starting nicepick/serve.sh on {self.base}")
        with open(self.log_path, "ab") as output:
            self.process = subprocess.Popen(
                ["nicepick/serve.sh"],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve.sh exited at start; see {self.log_path}")
            answer = Browser(self.base, timeout=3).get("/healthz")
            if answer.status == 200:
                self.remember()
                return
            time.sleep(0.3)
        raise RuntimeError(f"the site did not answer within 90 s; see {self.log_path}")

    def remember(self):
        if self.process is not None and self.process.poll() is None:
            known = dict(self.family)
            known.update(descendants(self.process.pid))
            self.family = list(known.items())

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        self.remember()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # serve.sh stops both, gracefully
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        kill_remembered(self.family)  # anything left behind (e.g. serve.sh died first)
        self.process, self.family = None, []

    def log_size(self):
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset):
        try:
            with open(self.log_path, "rb") as output:
                output.seek(offset)
                return output.read().decode("utf-8", "replace")
        except OSError:
            return ""


# The ground truth, read straight from PostgreSQL ------------------------------------------------


class Truth:
    def __init__(self, url):
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True, connect_timeout=5)
        self.lock = threading.Lock()
        self.seen_at = {}  # mark -> when this script first saw it committed

    def query(self, sql, *args):
        with self.lock:
            return self.connection.execute(sql, args).fetchone()

    def mark(self):
        (summary,) = self.query(
            "SELECT summary FROM comparisons_comparison WHERE slug = %s", ARTICLE
        )
        found = MARK.search(summary)
        mark = int(found.group(1)) if found else 0
        self.seen_at.setdefault(mark, time.monotonic())
        return mark

    def notes(self, prefix):
        return self.query(
            "SELECT count(*) FROM comparisons_feedback WHERE message LIKE %s", prefix + "%"
        )[0]

    def article_id(self):
        return self.query("SELECT id FROM comparisons_comparison WHERE slug = %s", ARTICLE)[0]

    def mail_waiting(self):
        return self.query("SELECT count(*) FROM comparisons_outgoingmail WHERE status = 'pending'")[
            0
        ]

    def close(self):
        self.connection.close()


# Scenarios -------------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    fault: str  # what the operator would see in the world
    inject: object  # callable
    heal: object  # callable
    config: str = "redis"


@dataclass
class Outcome:
    scenario: Scenario
    readers: list = field(default_factory=list)
    readers_after: list = field(default_factory=list)
    healthz: list = field(default_factory=list)  # (summary, seconds)
    stamps: list = field(default_factory=list)  # the stamp endpoint's answers
    notes: list = field(default_factory=list)  # the answers to sending the form
    notes_resent: list = field(default_factory=list)
    stored_during: int = 0
    stored: int = 0
    mailed: int = 0
    mail_seconds: float = 0.0
    editor: object = None
    editor_retry: object = None
    editor_committed: bool = False
    stale: list = field(default_factory=list)  # (page, age in seconds, phase)
    recovered: bool = False
    recovery_seconds: float = 0.0
    problems: list = field(default_factory=list)
    worker_timeouts: int = 0
    skipped: str = ""
    failed: str = ""
    log_offset: int = 0

    def row(self):
        name = self.scenario.name
        if self.skipped or self.failed:
            why = f"skipped: {self.skipped}" if self.skipped else f"the run failed: {self.failed}"
            return [name, why, "", "", "", "", "", ""]
        first = self.healthz[0] if self.healthz else ("—", 0)
        health = f"{first[0]} ({duration(first[1])})"
        if len(self.healthz) > 1 and self.healthz[-1][0] != first[0]:
            health += f", then {self.healthz[-1][0]} ({duration(self.healthz[-1][1])})"
        sent = len(self.notes)
        notes = f"{sent} sent: {statuses(self.notes)}; {self.stored_during} stored"
        if any(not stamp.ok for stamp in self.stamps):
            notes = f"stamp {statuses(self.stamps)}; " + notes
        if self.stored != self.stored_during:
            notes += f", {self.stored} after re-sending"
        mail = f"{self.mailed}/{self.stored}"
        if self.mailed:
            mail += f" ({duration(self.mail_seconds)} after the fault)"
        editor = "—"
        if self.editor is not None:
            editor = f"{self.editor.status} in {duration(self.editor.seconds)}"
            if self.editor_retry is not None:
                editor += f"; again after: {self.editor_retry.status}"
        stale = stale_cell(self.stale)
        if self.recovered:
            recovered = f"yes: /healthz all ok {duration(self.recovery_seconds)} after"
        else:
            recovered = "no: " + "; ".join(self.problems)
        return [
            name,
            readers_cell(self.readers),
            health,
            notes,
            mail,
            editor,
            stale,
            recovered,
        ]


HEADERS = [
    "scenario",
    "readers during the fault",
    "/healthz during the fault",
    "notes (Disagree?)",
    "mail delivered / notes stored",
    "editor's save",
    "stale pages served",
    "recovered without a restart",
]


class Run:
    def __init__(self, args):
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="nicepick-chaos-"))
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        self.secret = secrets.token_urlsafe(50)
        self.admin_password = secrets.token_urlsafe(18)
        self.server_url = args.postgres.rstrip("/")
        self.database = args.database
        self.cleanups = []  # run in reverse at the end, whatever happened
        self.site = None
        self.truth = None
        self.editor = None
        self.tmpfs = None
        self.log_path = self.folder / "serve.log"

    # Setting up

    def setup(self):
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.cleanups.append(self.drop_database)
        self.direct_url = f"{self.server_url}/{self.database}"
        host, port = urllib.parse.urlsplit(self.server_url).hostname, 5432
        port = urllib.parse.urlsplit(self.server_url).port or port
        self.db_proxy = self.proxy((host, port), "postgresql")
        self.smtp = SmtpSink()
        self.cleanups.append(self.smtp.close)
        self.smtp_proxy = self.proxy((LOOPBACK, self.smtp.port), "smtp")
        self.redis_proxy = self.proxy(self.start_redis(), "redis")

        env = self.environment(database_url=self.direct_url)
        log(f"building {self.database}: migrate, loaddemo, ensureadmin, collectstatic")
        for command in (
            ["migrate", "--noinput", "--verbosity", "0"],
            ["loaddemo"],
            ["ensureadmin", "--username", "chaos-editor"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=300,
                stdout=subprocess.DEVNULL,
            )
        self.truth = Truth(self.direct_url)
        self.cleanups.append(self.truth.close)
        self.pg_version = self.truth.query("SHOW server_version")[0].split()[0]
        # The summary starts with its mark, so any page showing it says which version it is.
        self.truth.query(
            "UPDATE comparisons_comparison SET summary = 'chaosmark0 · ' || summary "
            "WHERE slug = %s RETURNING id",
            ARTICLE,
        )

    def proxy(self, upstream, name):
        proxy = FaultProxy(upstream, name)
        self.cleanups.append(proxy.close)
        return proxy

    def start_redis(self):
        """A private redis-server on a free port: the shared one's data is never touched."""
        binary = shutil.which("redis-server")
        port = free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def stop():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

        self.cleanups.append(stop)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 1):
                return (LOOPBACK, port)
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def environment(self, database_url, redis=True, state_dir=None):
        kept = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(
                ("DJANGO_", "NICEPICK_", "GUNICORN_", "EMAIL_", "SENTRY_", "DATABASE_")
            )
            and name not in ("REDIS_URL", "FEEDBACK_NOTIFY", "SITE_URL", "PROMETHEUS_MULTIPROC_DIR")
        }
        env = {
            **kept,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": LOOPBACK,
            "SITE_URL": self.base,
            # Plain HTTP on loopback: no TLS in front, so no redirect and no secure-only cookies.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "NICEPICK_STATE_DIR": str(state_dir or self.folder / "state"),
            "DATABASE_URL": database_url,
            "EMAIL_HOST": LOOPBACK,
            "EMAIL_PORT": str(self.smtp_proxy.port),
            # Short enough for a bounded run: a stalled send gives up after 2 s and is tried
            # again 6 s later (3 × EMAIL_TIMEOUT, the queue's shortest wait).
            "EMAIL_TIMEOUT": "2",
            "NICEPICK_MAIL_RETRY_SECONDS": "1",
            "FEEDBACK_NOTIFY": "editors@chaos.invalid",
            "NICEPICK_FEEDBACK_MIN_SECONDS": str(FEEDBACK_MIN_SECONDS),
            # Every reader here comes from 127.0.0.1: the per-client limit would count them as one.
            "NICEPICK_FEEDBACK_RATE_LIMIT": "100000/600",
            "NICEPICK_ADMIN_PASSWORD": self.admin_password,
            "GUNICORN_BIND": f"{LOOPBACK}:{self.port}",
            "GUNICORN_ACCESS_LOG": "off",
            "PROMETHEUS_MULTIPROC_DIR": str(self.folder / "metrics"),
        }
        if redis:
            env["REDIS_URL"] = f"redis://{LOOPBACK}:{self.redis_proxy.port}/0"
        return env

    def serve(self, redis=True, state_dir=None):
        if self.site is not None:
            self.site.stop()
        (self.folder / "metrics").mkdir(exist_ok=True)
        proxied = f"postgres://postgres@{LOOPBACK}:{self.db_proxy.port}/{self.database}"
        env = self.environment(proxied, redis=redis, state_dir=state_dir)
        self.site = Site(env, self.log_path, self.base)
        self.site.start()
        self.editor = Editor(self.base, "chaos-editor", self.admin_password)
        self.editor.log_in()

    # The state directory on a small file system of its own, which a fault fills

    def mount_tmpfs(self):
        """A 1 MiB tmpfs for NICEPICK_STATE_DIR, or None and why (mounting needs root)."""
        folder = self.folder / "state-tmpfs"
        folder.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "nicepick-chaos", str(folder)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            return None, (result.stderr.strip() or "mount failed")
        self.cleanups.append(
            lambda: subprocess.run(["umount", str(folder)], check=False, timeout=30)
        )
        return folder, ""

    def fill_state(self):
        if self.tmpfs is None:
            return "no tmpfs"
        with open(self.tmpfs / "filler", "wb", buffering=0) as filler:
            chunk = b"\0" * 4096
            with contextlib.suppress(OSError):  # written until the file system is full
                while True:
                    filler.write(chunk)
        return None

    def empty_state(self):
        if self.tmpfs is not None:
            (self.tmpfs / "filler").unlink(missing_ok=True)

    # Cleaning up

    def drop_database(self):
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def close(self):
        if self.site is not None:
            with contextlib.suppress(Exception):
                self.site.stop()
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as error:
                log(f"cleaning up: {type(error).__name__}: {error}")
        if self.args.keep_log and self.log_path.exists():
            DATA.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log_path, DATA / "chaos-serve.log")
        shutil.rmtree(self.folder, ignore_errors=True)

    # Readers

    def read(self, path, outcome, phase):
        """One anonymous reader asks for a page; a page older than the database is stale."""
        mark = self.truth.mark()
        answer = Browser(self.base).get(path)
        if answer.ok:
            shown = [int(found) for found in MARK.findall(answer.body)]
            if shown and max(shown) < mark:
                age = answer.started - self.truth.seen_at[mark]
                outcome.stale.append((path, max(age, 0.0), phase))
        return answer

    def read_all(self, outcome, phase, rounds=2, threads=3):
        paths = [path for _ in range(rounds) for path in PAGES.values()]
        with workers(threads) as pool:
            return list(pool.map(lambda path: self.read(path, outcome, phase), paths))

    def healthz(self):
        answer = Browser(self.base).get("/healthz", timeout=READ_TIMEOUT)
        return healthz_summary(answer.status, answer.body), answer.seconds, answer

    # Notes

    def note(self, scenario, number):
        """
        A reader opens the article, starts on the form (disagree.js asks the stamp endpoint for
        a stamp and its cookie), writes a note and sends it; a form that comes back asking to
        send again (no stamp yet) is sent again once, as the page says.
        Returns (stamp answer, final answer, browser, (action, fields) last sent).
        """
        browser = Browser(self.base, timeout=WRITE_TIMEOUT)
        page = browser.get(PAGES["article"])
        form = find_form(page.body, action_contains="/disagree/") if page.ok else None
        if form is None:
            return None, Response(f"page {page.status}", page.seconds), browser, None
        stamp = browser.get(form.attrs.get("data-stamp-url", ""), timeout=READ_TIMEOUT)
        value = ""
        if stamp.ok:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                value = json.loads(stamp.body)["stamp"]
        time.sleep(FEEDBACK_MIN_SECONDS + 0.05)
        message = f"{NOTE_PREFIX}-{scenario}-{number}: I would pick the other one, for its tooling."
        fields = form.values(would_pick=form.choices["would_pick"][0], message=message, stamp=value)
        sent = (form.action, fields)
        answer = browser.post(*sent)
        again = find_form(answer.body, action_contains="/disagree/") if answer.ok else None
        if again is not None and dict(again.fields).get("stamp"):  # "press Send again"
            time.sleep(FEEDBACK_MIN_SECONDS + 0.05)
            sent = (again.action, again.values())
            answer = browser.post(*sent)
        return stamp, answer, browser, sent

    def resend(self, answer, browser, sent):
        """After recovery, what a reader does with a note that was not taken."""
        if sent is None or answer.status in (302, 303):
            return None
        if not isinstance(answer.status, int):
            return browser.post(*sent)  # no page came back: the browser's "resend"
        for _ in range(2):  # the page that kept the text, then perhaps "one more step"
            kept = find_form(answer.body, action_contains="/disagree/")
            if kept is None or not dict(kept.fields).get("message"):
                break
            time.sleep(FEEDBACK_MIN_SECONDS + 0.05)
            answer = browser.post(kept.action, kept.values())
        else:
            return answer
        if answer.status >= 500 and kept is None:
            return browser.post(*sent)
        return answer

    # One scenario

    def run(self, scenario):
        outcome = Outcome(scenario)
        site = self.site
        prefix = f"{NOTE_PREFIX}-{scenario.name}-"
        log(f"scenario {scenario.name}: {scenario.fault}")
        if not site.alive():
            log("the site is down after the last scenario: starting it again")
            self.serve(redis=scenario.config == "redis")
            site = self.site
        outcome.log_offset = site.log_size()
        # Healthy: readers warm the cache, the editor opens the article's change form.
        self.read_all(outcome, "before", rounds=1)
        self.editor.open(self.truth.article_id())
        site.remember()

        reason = scenario.inject()
        if reason:  # the fault cannot be made here
            scenario.heal()
            outcome.skipped = reason
            return outcome
        fault_started = time.monotonic()
        try:
            outcome.healthz.append(self.healthz()[:2])
            outcome.readers += self.read_all(outcome, "during")
            outcome.readers += self.writes_under_fault(outcome, scenario)
            outcome.healthz.append(self.healthz()[:2])
            outcome.stored_during = self.truth.notes(prefix)
        finally:
            # Keep each fault on for a few seconds at least, then end it.
            time.sleep(max(0.0, fault_started + self.args.fault_seconds - time.monotonic()))
            scenario.heal()
        healed = time.monotonic()
        self.recover(outcome, healed)
        self.after(outcome, prefix, healed)
        outcome.worker_timeouts = site.log_since(outcome.log_offset).count("WORKER TIMEOUT")
        site.remember()
        return outcome

    def writes_under_fault(self, outcome, scenario):
        """Notes and the editor's save, all at once, while a reader keeps reading."""
        readers = []
        with workers(self.args.notes + 1) as pool:
            notes = [pool.submit(self.note, scenario.name, n) for n in range(self.args.notes)]
            save = pool.submit(self.editor.save, self.truth.mark() + 1)
            started = time.monotonic()
            paths = list(PAGES.values())
            while time.monotonic() < started + WRITE_TIMEOUT + 5:
                done = save.done() and all(note.done() for note in notes)
                if done and time.monotonic() > started + 2:
                    break
                readers.append(self.read(paths[len(readers) % len(paths)], outcome, "during"))
            outcome.editor = save.result()
            self.note_results = [note.result() for note in notes]
        outcome.stamps = [stamp for stamp, _, _, _ in self.note_results if stamp is not None]
        outcome.notes = [answer for _, answer, _, _ in self.note_results]
        # A committed save: readers keep reading for two seconds more.
        if self.truth.mark() == self.editor.mark:
            outcome.editor_committed = True
            until = time.monotonic() + 2
            while time.monotonic() < until:
                readers.append(self.read(paths[len(readers) % len(paths)], outcome, "during"))
        return readers

    def recover(self, outcome, healed):
        """Wait until /healthz says every part is ok again (or give up)."""
        deadline = healed + self.args.recovery_seconds
        summary = "not asked"
        while time.monotonic() < deadline:
            summary, _, answer = self.healthz()
            if summary == "200 all ok":
                outcome.recovered = True
                outcome.recovery_seconds = time.monotonic() - healed
                return
            if not self.site.alive():
                break
            time.sleep(0.5)
        if self.site.alive():  # a site that died is reported as such (see after())
            waited = duration(time.monotonic() - healed)
            outcome.problems.append(f"/healthz still {summary} after {waited}")

    def after(self, outcome, prefix, healed):
        """Readers, the editor and the notes after the fault; mail for every stored note."""
        if not self.site.alive():
            problem = f"serve.sh exited (status {self.site.process.returncode})"
            if "db_worker.py" in self.site.log_since(outcome.log_offset):
                problem += ": the mail worker died on the database error, gunicorn with it"
            outcome.problems.append(problem)
            outcome.stored = outcome.stored_during
            return
        if not outcome.editor_committed:
            outcome.editor_retry = self.editor.save(self.editor.mark)
            outcome.editor_committed = self.truth.mark() == self.editor.mark
            if not outcome.editor_committed:
                outcome.problems.append("the editor's change never saved")
        outcome.readers_after = self.read_all(outcome, "after")
        until = time.monotonic() + 2
        paths = list(PAGES.values())
        while time.monotonic() < until:
            outcome.readers_after.append(
                self.read(paths[len(outcome.readers_after) % len(paths)], outcome, "after")
            )
        failing = [answer for answer in outcome.readers_after if not answer.ok]
        if failing:
            outcome.problems.append(f"readers after the fault: {statuses(failing)}")
        for _, answer, browser, sent in self.note_results:
            again = self.resend(answer, browser, sent)
            if again is not None:
                outcome.notes_resent.append(again)
        outcome.stored = self.truth.notes(prefix)
        if outcome.stored < len(outcome.notes):
            outcome.problems.append(f"{len(outcome.notes) - outcome.stored} notes not stored")
        deadline = time.monotonic() + self.args.mail_seconds
        while True:
            outcome.mailed = sum(prefix in body for body in self.smtp.bodies())
            if outcome.mailed >= outcome.stored or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        outcome.mail_seconds = time.monotonic() - healed
        if outcome.mailed < outcome.stored:
            outcome.problems.append(
                f"{outcome.stored - outcome.mailed} notifications not delivered after "
                f"{duration(outcome.mail_seconds)}"
            )
        # Converged: a last round of readers sees the committed version everywhere.
        final = self.read_all(outcome, "final", rounds=1)
        if any(not answer.ok for answer in final):
            outcome.problems.append(f"readers at the end: {statuses(final)}")
        if any(phase == "final" for _, _, phase in outcome.stale):
            outcome.problems.append("pages still stale at the end")
        if outcome.problems:
            outcome.recovered = False


class Editor:
    """An editor in the admin, changing the live article's summary and publishing it."""

    def __init__(self, base, username, password):
        self.browser = Browser(base, timeout=WRITE_TIMEOUT)
        self.username = username
        self.password = password
        self.form = None
        self.path = None
        self.mark = 0

    def log_in(self):
        page = self.browser.get("/admin/login/?next=/admin/")
        form = find_form(page.body, form_id="login-form")
        if form is None:
            raise RuntimeError(f"no login form at /admin/login/ ({page.status})")
        answer = self.browser.post(
            "/admin/login/?next=/admin/",
            form.values(username=self.username, password=self.password),
        )
        if answer.status != 302:
            raise RuntimeError(f"the editor could not log in ({answer.status})")

    def open(self, article_id):
        self.path = f"/admin/comparisons/comparison/{article_id}/change/"
        page = self.browser.get(self.path)
        if page.status == 302 and "/login/" in page.location:
            self.log_in()
            page = self.browser.get(self.path)
        if page.status == 302:  # pending changes left by an earlier save: edit those
            self.path = urllib.parse.urlsplit(page.location).path
            page = self.browser.get(self.path)
        self.form = find_form(page.body, form_id="comparison_form")
        if self.form is None:
            raise RuntimeError(f"no change form at {self.path} ({page.status})")

    def save(self, mark):
        """
        Mark the summary `mark` and press "Publish changes" (a live article's save is kept as
        pending changes; this button saves them and puts them live, as a minor fix, in one
        go). The answer: a redirect (302) when the request went through.
        """
        self.mark = mark
        summary = dict(self.form.fields)["summary"]
        summary = MARK.sub(f"chaosmark{mark}", summary, count=1)
        fields = self.form.values(summary=summary, **{"workflow-minor": "on"})
        return self.browser.post(self.path, [*fields, ("_workflow", "publish_changes")])


# The scenarios ---------------------------------------------------------------------------------


def scenarios(run):
    db, redis, smtp = run.db_proxy, run.redis_proxy, run.smtp_proxy

    def nothing():
        return None

    return [
        Scenario("baseline", "everything healthy", nothing, nothing),
        Scenario("redis-refused", "Redis down: connections refused", redis.refuse, redis.heal),
        Scenario("redis-hung", "Redis accepts and never answers", redis.freeze, redis.heal),
        Scenario("smtp-stalled", "mail server accepts, never speaks", smtp.freeze, smtp.heal),
        Scenario("smtp-refusing", "the mail server is down: refused", smtp.refuse, smtp.heal),
        Scenario("database-hung", "PostgreSQL accepts and never answers", db.freeze, db.heal),
        Scenario("database-down", "PostgreSQL down: reset, refused", db.refuse, db.heal),
        Scenario(
            "state-dir-full",
            "no Redis; NICEPICK_STATE_DIR on a full file system",
            run.fill_state,
            run.empty_state,
            config="file",
        ),
    ]


def machine():
    return (
        f"{platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def report(run, outcomes, seconds):
    rows = [outcome.row() for outcome in outcomes]
    command = "make chaos" + (f" CHAOS_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    lines = [
        f"## Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {machine()}. PostgreSQL {run.pg_version} at {run.server_url} "
        f"(database {run.database}), "
        "Redis: a private redis-server. "
        "gunicorn with production settings, "
        f"{run.site.env.get('GUNICORN_WORKERS', os.cpu_count() + 1)} sync workers, "
        f"the mail worker beside it (nicepick/serve.sh). {run.args.notes} notes and one editor's "
        f"save per scenario; each fault lasts at least {run.args.fault_seconds:g} s.",
        "",
        f"Command: `{command}`",
        "",
        markdown_table(HEADERS, rows),
        "",
    ]
    timeouts = [f"{o.scenario.name}: {o.worker_timeouts}" for o in outcomes if o.worker_timeouts]
    if timeouts:
        lines.append(f"gunicorn workers killed for taking over 30 s — {', '.join(timeouts)}.")
        lines.append("")
    for outcome in outcomes:
        if outcome.stale:
            pages = Counter(f"{page} ({phase})" for page, _, phase in outcome.stale)
            listed = ", ".join(f"{page} ×{count}" for page, count in pages.most_common())
            lines.append(f"{outcome.scenario.name}: stale pages: {listed}.")
        resent = outcome.notes_resent
        if resent:
            lines.append(
                f"{outcome.scenario.name}: notes sent again after the fault: {statuses(resent)}."
            )
    lines.append(f"\n(run in {seconds:.0f} s)\n")
    return "\n".join(lines)


class Interrupted(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("CHAOS_DATABASE", "nicepick_chaos"),
        help="the throw-away database's name (CHAOS_DATABASE; dropped at the end)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CHAOS_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server (CHAOS_POSTGRES)",
    )
    parser.add_argument("--notes", type=int, default=3, help="notes sent per scenario")
    parser.add_argument("--fault-seconds", type=float, default=4, help="shortest fault")
    parser.add_argument("--recovery-seconds", type=float, default=60)
    parser.add_argument("--mail-seconds", type=float, default=45)
    parser.add_argument("--deadline", type=int, default=900, help="hard limit for the run (s)")
    parser.add_argument(
        "--only", action="append", help="run only this scenario, e.g. database-hung (repeatable)"
    )
    parser.add_argument("--keep-log", action="store_true", help="copy serve.log to bench/data/")
    args = parser.parse_args()

    def stop(signum, frame):
        raise Interrupted(signal.strsignal(signum))

    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(args.deadline)
    started = time.monotonic()
    run = Run(args)
    outcomes = []
    try:
        run.setup()
        every = scenarios(run)
        unknown = set(args.only or ()) - {scenario.name for scenario in every}
        if unknown:
            names = ", ".join(scenario.name for scenario in every)
            raise SystemExit(f"unknown scenario {', '.join(sorted(unknown))}; choose from {names}")
        chosen = [s for s in every if not args.only or s.name in args.only]
        config = None
        for scenario in chosen:
            if scenario.config != config:
                if scenario.config == "file":
                    run.tmpfs, reason = run.mount_tmpfs()
                    if run.tmpfs is None:
                        outcome = Outcome(scenario, skipped=f"cannot mount a tmpfs ({reason})")
                        outcomes.append(outcome)
                        continue
                    run.serve(redis=False, state_dir=run.tmpfs)
                else:
                    run.serve(redis=True)
                config = scenario.config
            try:
                outcomes.append(run.run(scenario))
            except Exception as error:  # one scenario's failure is reported; the others run
                traceback.print_exc()
                scenario.heal()
                failed = f"{type(error).__name__}: {error}"
                outcomes.append(Outcome(scenario, failed=failed))
            print(markdown_table(HEADERS, [outcomes[-1].row()]).splitlines()[-1], flush=True)
    except (KeyboardInterrupt, Interrupted) as error:
        log(f"stopped ({str(error) or 'Ctrl-C'}); cleaning up")
        signal.alarm(0)
        run.close()
        return 130
    except Exception:
        signal.alarm(0)
        log(f"failed; the site's log: {run.log_path}")
        with contextlib.suppress(OSError):
            sys.stderr.write(run.log_path.read_text()[-4000:])
        run.close()
        raise
    signal.alarm(0)
    text = report(run, outcomes, time.monotonic() - started)
    run.close()
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "chaos-latest.md").write_text(text)
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
