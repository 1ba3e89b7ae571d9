"""Errors go to Sentry only when SENTRY_DSN is set, and never with readers' personal data."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .test_production import PRODUCTION, ROOT, manage

REPORT_CLIENT = """
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "dsn": client.dsn,
    "send_default_pii": client.options.get("send_default_pii"),
    "integrations": sorted(getattr(client, "integrations", {})),
}))
"""

# What the reader sends comes in through the environment, so that it is not in this source, which
# Sentry quotes around each frame.
CRASH_A_REQUEST = """
import os

from django.db.backends.utils import CursorWrapper
from django.test import Client

reader = json.loads(os.environ["PROBE_READER"])

def broken(*args, **kwargs):
    raise RuntimeError("the database driver exploded")

CursorWrapper.execute = broken
response = Client(raise_request_exception=False).post(
    "/compare/flask-vs-express/disagree/",
    reader["form"],
    REMOTE_ADDR=reader["ip"],
    HTTP_COOKIE=reader["cookie"],
    HTTP_USER_AGENT="Mozilla/5.0 (test)",
)
print(json.dumps({"status": response.status_code}))
sentry_sdk.flush(timeout=10)
"""


class SentrySink(BaseHTTPRequestHandler):
    """A stand-in for Sentry's ingest endpoint on loopback: keeps what the SDK sends."""

    envelopes = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.envelopes.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_sink():
    SentrySink.envelopes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentrySink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def production(tmp_path, **extra):
    return {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NICEPICK_STATE_DIR": str(tmp_path / "state"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "NO_PROXY": "127.0.0.1,localhost",
        **extra,
    }


def run(code, env, tmp_path):
    """Run `code` in a fresh process with Django set up from `env`; its JSON lines, parsed."""
    script = tmp_path / "probe.py"  # a file, not `-c`: Sentry reports sys.argv with each event
    script.write_text(f"import json\nimport django\ndjango.setup()\n{code}")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "nicepick.settings",
            "PYTHONPATH": str(ROOT),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_sentry_is_off_without_a_dsn(tmp_path):
    """With SENTRY_DSN unset, the SDK is never initialised: nothing can leave."""
    (client,) = run(REPORT_CLIENT, production(tmp_path, SENTRY_DSN=""), tmp_path)
    assert client["active"] is False


def test_with_a_dsn_errors_reach_sentry_without_personal_data(tmp_path, sentry_sink):
    """A crashing request is reported with its traceback; no e-mail, IP, cookie or note text."""
    dsn = f"http://publickey@127.0.0.1:{sentry_sink.server_port}/1"
    reader = {
        "form": {"message": "Grace's note", "email": "grace@example.com", "name": "Grace Hopper"},
        "ip": "203.0.113.9",
        "cookie": "sessionid=secret-session-id",
    }
    env = production(tmp_path, SENTRY_DSN=dsn, PROBE_READER=json.dumps(reader))
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **env)  # the 500 page
    assert collected.returncode == 0, collected.stderr[-2000:]
    client, crash = run(REPORT_CLIENT + CRASH_A_REQUEST, env, tmp_path)
    assert client["active"] is True
    assert client["dsn"] == dsn
    assert client["send_default_pii"] is False
    assert "django" in client["integrations"]
    assert crash["status"] == 500
    sent = "\n".join(SentrySink.envelopes)
    assert "the database driver exploded" in sent and "RuntimeError" in sent
    for personal in ("grace@example.com", "Grace Hopper", "Grace's note", "203.0.113.9"):
        assert personal not in sent, personal
    assert "secret-session-id" not in sent
