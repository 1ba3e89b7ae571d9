"""
What `bench/run.py` and `bench/scale.py` share: throw-away databases filled in bulk, gunicorn
with production settings, wrk, and the site's own counters.
"""

import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
REPORT_LUA = ROOT / "bench" / "report.lua"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/14"  # a database index of its own, emptied before each use
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
# Fresh bulk-loaded tables have no planner statistics and no visibility map yet (so no
# index-only scans); autovacuum would get there later on a live database.
ANALYZE = (
    "from django.db import connection\n"
    "if connection.vendor == 'postgresql':\n"
    "    connection.cursor().execute('VACUUM ANALYZE')"
)
# Everything the traffic generators need to know about the corpus, as JSON.
DESCRIBE = """
import json
from comparisons.models import Category, Comparison
from comparisons.views.articles import counted_tags
counted, _due = counted_tags()
published = Comparison.objects.published()
articles = list(published.order_by("pk").values_list("pk", "slug"))
tools = sorted({slug for pair in published.values_list("tool_a__slug", "tool_b__slug")
                for slug in pair if slug})
print(json.dumps({
    "articles": articles,
    "tools": tools,
    "tags": [tag.slug for tag in counted[:500]],
    "categories": list(Category.objects.in_use().values_list("slug", flat=True)),
}))
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def machine():
    return (
        f"{platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def postgres_available():
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


def fresh_database(engine, name):
    """A new, empty database; its URL."""
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{PG_SERVER}/{name}"
    path = DATA / f"{name}.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def environment(database_url, cache=True, **extra):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NICEPICK_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(DATA / "static"),
        "DATABASE_URL": database_url,
        "NICEPICK_BENCH_ENDPOINTS": "1",
        "NICEPICK_PAGE_CACHE": "1" if cache else "0",
        "NICEPICK_STATE_DIR": str(DATA / "state"),
        # The notes of the traffic mix all come from 127.0.0.1, as fast as a reader could.
        "NICEPICK_FEEDBACK_MIN_SECONDS": "1",
        "NICEPICK_FEEDBACK_RATE_LIMIT": "1000000/600",
        "NICEPICK_TASKS_BACKEND": "immediate",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "off",
        "SITE_URL": BASE,
        "REDIS_URL": "",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


def build(database_url, comparisons):
    """Migrate and fill a database in bulk; returns the seconds it took."""
    env = environment(database_url, cache=False)
    started = time.time()
    log(f"Building {comparisons:,} comparisons in {database_url} …")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "generatebench", "--comparisons", str(comparisons))
    manage(env, "createcachetable", "--verbosity", "0")
    manage(env, "shell", "--no-imports", "-c", ANALYZE)
    return time.time() - started


def postgres_corpus(name, comparisons, reuse=True):
    """A PostgreSQL database with this many comparisons, built once and kept for the next run."""
    import psycopg

    url = f"{PG_SERVER}/{name}"
    if reuse:
        try:
            with psycopg.connect(url, connect_timeout=2) as connection:
                (count,) = connection.execute(
                    "SELECT COUNT(*) FROM comparisons_comparison"
                ).fetchone()
            if count == comparisons:
                log(f"Reusing {name} ({count:,} comparisons).")
                manage(environment(url), "migrate", "--noinput", "--verbosity", "0")
                manage(environment(url), "shell", "--no-imports", "-c", ANALYZE)
                return url, 0.0
        except psycopg.Error:
            pass
    url = fresh_database("postgresql", name)
    return url, build(url, comparisons)


def collectstatic():
    env = environment("sqlite:///unused", cache=False)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def describe(database_url):
    output = manage(
        environment(database_url), "shell", "--no-imports", "-c", DESCRIBE, capture=True
    )
    return json.loads(output.strip().splitlines()[-1])


class Server:
    """gunicorn with production settings on 127.0.0.1:PORT, its state and cache files fresh."""

    def __init__(self, database_url, cache=True, workers=None, **extra):
        self.env = environment(database_url, cache, **extra)
        self.env["GUNICORN_WORKERS"] = str(workers or os.cpu_count() or 1)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                raise SystemExit(f"Port {PORT} is taken: set BENCH_PORT to a free one.")
        shutil.rmtree(DATA / "state", ignore_errors=True)
        if self.env.get("REDIS_URL"):
            import redis

            redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()
        if self.env.get("NICEPICK_LOCAL_CACHE") == "database":
            manage(self.env, "createcachetable", "--verbosity", "0")  # its table, once
            manage(self.env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
        self.process = subprocess.Popen(
            [GUNICORN, "nicepick.wsgi", "-c", "nicepick/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(DATA / "gunicorn.log", "a"),  # noqa: SIM115 (closed with the process)
        )
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not come up; see bench/data/gunicorn.log")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def fetch(path, headers=None):
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{path}: {error}; see bench/data/gunicorn.log") from error


def wrk(path, duration, connections, threads=2, paths=None, paths_file=None, headers=()):
    """One wrk run; {"rps", "p50", "p95", "p99" (ms), "errors", "non2xx", "requests"}."""
    env = {
        **os.environ,
        "WRK_PATHS": "\n".join(paths or []),
        "WRK_PATHS_FILE": str(paths_file or ""),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(REPORT_LUA),
    ]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run(
        [*command, BASE + path], capture_output=True, text=True, env=env, check=True
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("JSON "))
    return json.loads(line[5:])


PAGE_CACHE_LINE = re.compile(r'^nicepick_page_cache_requests_total\{result="(\w+)"\} ([0-9.e+]+)$')


def cache_counters():
    """{"hit": n, "miss": n, "bypass": n} from /metrics (every worker's counters added up)."""
    counts = {"hit": 0.0, "miss": 0.0, "bypass": 0.0}
    for line in fetch("/metrics").splitlines():
        match = PAGE_CACHE_LINE.match(line)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0.0) + float(match.group(2))
    return counts


def spread(values):
    """min–median–max, as text."""
    return f"{min(values):.2f}–{statistics.median(values):.2f}–{max(values):.2f}"


def alternate(measure_page, measure_control, rounds):
    """
    control, page, control, page, … control: each page run has a control run on both sides.
    Returns [(page_result, ratio to the mean of the two controls beside it)], and the controls.
    """
    controls = [measure_control()]
    results = []
    for _ in range(rounds):
        page = measure_page()
        controls.append(measure_control())
        beside = (controls[-2]["rps"] + controls[-1]["rps"]) / 2
        results.append((page, page["rps"] / beside if beside else 0.0))
    return results, controls
