"""
The load benchmark behind `make bench` (see bench/README.md).

1. Builds a throw-away database (PostgreSQL when it answers, else SQLite) with
   `manage.py generatebench` (2,000 published comparisons by default).
2. Starts gunicorn with production settings on 127.0.0.1, page cache off ("cold") and then on
   ("warm").
3. With wrk, measures each page alternately with a trivial control view and a static file, in
   the same run, and prints req/s, p50/p99 and the ratio of each to the control.
4. On PostgreSQL, measures search at 10,000 comparisons at low concurrency (p95).

Loopback only; bounded in time (about 5 minutes with the defaults).
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
REPORT_LUA = ROOT / "bench" / "report.lua"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PORT = 8765
# Fresh bulk-loaded tables have no planner statistics yet; autovacuum would gather them later.
ANALYZE = (
    "from django.db import connection\n"
    "if connection.vendor == 'postgresql':\n"
    "    connection.cursor().execute('ANALYZE')"
)
BASE = f"http://127.0.0.1:{PORT}"


def log(message):
    print(message, file=sys.stderr, flush=True)


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


def environment(database_url, cache):
    return {
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
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "off",
        "SITE_URL": BASE,
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(database_url, comparisons):
    env = environment(database_url, cache=False)
    log(f"Building {comparisons} comparisons in {database_url} …")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "generatebench", "--comparisons", str(comparisons))
    manage(env, "shell", "-c", ANALYZE)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


class Server:
    def __init__(self, database_url, cache, workers):
        env = environment(database_url, cache)
        env["GUNICORN_WORKERS"] = str(workers)
        self.process = subprocess.Popen(
            [GUNICORN, "nicepick.wsgi", "-c", "nicepick/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(DATA / "gunicorn.log", "a"),  # noqa: SIM115 (closed with the process)
        )
        for _ in range(100):
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


def fetch(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as response:
        return response.read().decode()


def wrk(path, duration, connections, threads=2, paths=None):
    """One wrk run; {"rps", "p50", "p95", "p99" (ms), "errors", "non2xx"}."""
    env = {**os.environ, "WRK_PATHS": "\n".join(paths or [])}
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(REPORT_LUA),
            BASE + path,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("JSON "))
    return json.loads(line[5:])


def pick_paths():
    """Real URLs from the running site: an article, the home page, a tag page, a search."""
    home = fetch("/")
    article = home.split('class="card-title"><a href="')[1].split('"')[0]
    tag = home.split('<ul class="tags" aria-label="Tags"><li><a href="')[1].split('"')[0]
    css = home.split('rel="stylesheet" href="')[1].split('"')[0]
    return {
        "article": article,
        "home": "/",
        "tag": tag,
        "search": "/search/?q=" + search_queries()[0],
    }, css


def measure(database_url, cache, args):
    server = Server(database_url, cache, args.workers)
    try:
        pages, static = pick_paths()
        for path in pages.values():
            fetch(path)  # warm the cache (and the database's own caches)
        rows = []
        for name, path in pages.items():
            samples = {"control": [], "page": [], "static": []}
            for _ in range(args.rounds):
                samples["control"].append(wrk("/bench/control/", args.duration, args.connections))
                samples["page"].append(wrk(path, args.duration, args.connections))
                samples["static"].append(wrk(static, args.duration, args.connections))
            rows.append((name, path, samples))
        return rows
    finally:
        server.stop()


def mean(values):
    return sum(values) / len(values)


def table(mode, rows):
    lines = [
        f"\n### {mode}\n",
        "| page | req/s | p50 ms | p99 ms | control req/s | static req/s | page / control |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _path, samples in rows:
        page_rps = mean([s["rps"] for s in samples["page"]])
        control_rps = mean([s["rps"] for s in samples["control"]])
        static_rps = mean([s["rps"] for s in samples["static"]])
        errors = sum(s["errors"] + s["non2xx"] for s in samples["page"])
        lines.append(
            f"| {name} | {page_rps:,.0f} | {mean([s['p50'] for s in samples['page']]):.1f} | "
            f"{mean([s['p99'] for s in samples['page']]):.1f} | {control_rps:,.0f} | "
            f"{static_rps:,.0f} | **{page_rps / control_rps:.2f}**"
            + (f" ({errors} errors)" if errors else "")
            + " |"
        )
    return "\n".join(lines)


def search_queries():
    """
    What readers might type: a tool's name, or a word from an article that is not among the
    words nearly every article uses (a word found in every document acts as a stop word; its
    cost is reported separately in RESULTS.md).
    """
    home = fetch("/")
    text = " ".join(part.split("</p>")[0] for part in home.split('class="card-summary">')[1:])
    words = [word.strip(".,;:").lower() for word in text.split()]
    counts = {word: words.count(word) for word in words}
    rare = [word for word in dict.fromkeys(words) if counts[word] == 1 and len(word) >= 5]
    return [*rare[:6], "tool+0042", "tool+0117"]


def search_at_scale(args):
    """PostgreSQL search at `--search-comparisons` comparisons, one connection: p50/p95/p99."""
    url = fresh_database("postgresql", "nicepick_bench_search")
    prepare(url, args.search_comparisons)
    server = Server(url, cache=False, workers=args.workers)
    try:
        paths = [f"/search/?q={q}" for q in search_queries()]
        for path in paths:
            fetch(path)
        result = wrk(paths[0], args.duration * 2, connections=1, threads=1, paths=paths)
        return (
            f"\n### Search on PostgreSQL, {args.search_comparisons:,} comparisons, "
            "1 connection, cache off\n\n"
            f"{result['rps']:,.0f} req/s · p50 {result['p50']:.1f} ms · "
            f"**p95 {result['p95']:.1f} ms** · p99 {result['p99']:.1f} ms "
            f"(target: p95 under 50 ms)"
        )
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--comparisons", type=int, default=2000)
    parser.add_argument("--search-comparisons", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1))
    parser.add_argument("--database", choices=["auto", "postgresql", "sqlite"], default="auto")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    engine = args.database
    if engine == "auto":
        engine = "postgresql" if postgres_available() else "sqlite"
    url = fresh_database(engine, "nicepick_bench")
    prepare(url, args.comparisons)
    started = time.time()
    report = [
        f"## Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}. Database: {engine}, {args.comparisons:,} "
        f"published comparisons. gunicorn: {args.workers} sync workers, production settings. "
        f"wrk: {args.connections} connections, {args.duration} s per run, {args.rounds} "
        "rounds alternating control → page → static.",
        "",
        "Command: `make bench"
        + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
        + "`",
    ]
    for mode, cache in (("Cold (page cache off)", False), ("Warm (page cache on)", True)):
        log(f"Measuring: {mode} …")
        report.append(table(mode, measure(url, cache, args)))
    if engine == "postgresql" and args.search_comparisons:
        log("Measuring search at scale …")
        report.append(search_at_scale(args))
    report.append(f"\n(measured in {time.time() - started:.0f} s)\n")
    text = "\n".join(report)
    (DATA / "latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
