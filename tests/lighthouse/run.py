"""
`make lighthouse`: Lighthouse's accessibility, best-practices and SEO scores for the readers'
main pages, on a throw-away copy of the site with the demo content.

The site runs as in production (DJANGO_DEBUG=0, gunicorn, collected static files) on a free
port of 127.0.0.1, with its own SQLite database, media and state folders in a temporary
directory. Lighthouse (from npm, installed by the Makefile under .cache/lighthouse) drives
Debian's Chromium (CHROME_PATH, /usr/bin/chromium by default), for a phone and for a desktop.
Reports go to test-artifacts/lighthouse/; the command fails when a score is under
LIGHTHOUSE_MIN (100 unless set). Not part of `make test`: it takes a minute or two.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / ".cache/lighthouse/node_modules/lighthouse/cli/index.js"
REPORTS = ROOT / "test-artifacts/lighthouse"
PYTHON = ROOT / ".venv/bin/python"
GUNICORN = ROOT / ".venv/bin/gunicorn"
PAGES = {
    "home": "/",
    "article": "/compare/flask-vs-express/",
    "tag": "/tags/python/",
    "tool": "/tools/flask/",
}
CATEGORIES = ("accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(folder, port):
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "NICEPICK_STATE_DIR": str(folder / "state"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "off",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The site did not answer at {url} within {seconds} s.")


def audit(base, name, path, form_factor):
    output = REPORTS / f"{name}-{form_factor}"
    command = [
        "node",
        str(LIGHTHOUSE),
        base + path,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, timeout=300)  # noqa: S603
    report = json.loads(output.with_suffix(".report.json").read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = [
        f"{audit['id']} ({audit.get('score')})"
        for audit in report["audits"].values()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    return scores, failing


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse`.")
    os.environ.setdefault("CHROME_PATH", "/usr/bin/chromium")
    minimum = int(os.environ.get("LIGHTHOUSE_MIN", "100"))
    REPORTS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="nicepick-lighthouse-"))
    port = free_port()
    env = site_environment(folder, port)
    server = None
    try:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "loaddemo")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        server = subprocess.Popen(  # noqa: S603
            [GUNICORN, "nicepick.wsgi", "-c", "nicepick/gunicorn.conf.py"], cwd=ROOT, env=env
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        rows, below = [], []
        for name, path in PAGES.items():
            for form_factor in FORM_FACTORS:
                scores, failing = audit(base, name, path, form_factor)
                rows.append((name, form_factor, scores, failing))
                if min(scores.values()) < minimum:
                    below.append(f"{name} ({form_factor}): {scores} failing {failing}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'page':<10}{'device':<9}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, form_factor, scores, _ in rows:
        print(f"{name:<10}{form_factor:<9}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    print(f"\nReports: {REPORTS.relative_to(ROOT)}/")
    if below:
        print(f"\nUnder {minimum}:\n  " + "\n  ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
