"""
The load benchmark behind `make bench` (see bench/README.md).

1. Builds throw-away databases in bulk with `manage.py generatebench` (PostgreSQL when it
   answers, else SQLite): 2,000 and 20,000 published comparisons by default.
2. Pages: gunicorn with production settings, the page cache off ("cold") and on ("warm"); each
   page (article, home, tag, tool, category, search) is measured with wrk in ≥ 5 rounds, each
   between two runs of the trivial control view; the ratio page ÷ control is given as
   min–median–max.
3. Traffic: reads spread Zipf-like over every article and the list pages, a steady trickle of
   readers' notes (each fetches the form, waits, posts it) and an edit a minute, alternated
   with the control in the same way; the page cache's hit rate comes from the site's own
   `/metrics` counters. At 2,000 articles the traffic is also run with each shared cache
   backend (`--backends`), so the default is measured, not assumed.
4. On PostgreSQL, search at 10,000 comparisons at one connection: p50/p95 for broad and for
   narrow words.

Loopback only. The report is printed and kept in bench/data/latest.md.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from lib import (
    BASE,
    DATA,
    PYTHON,
    REDIS,
    ROOT,
    Server,
    alternate,
    build,
    cache_counters,
    collectstatic,
    describe,
    fetch,
    fresh_database,
    log,
    machine,
    postgres_available,
    postgres_corpus,
    spread,
    wrk,
)

CONTROL = "/bench/control/"
PAGES = ("article", "home", "tag", "tool", "category", "search")
TARGETS = {
    ("cold", "article"): 0.2,
    ("cold", "home"): 0.15,
    ("cold", "tag"): 0.15,
    ("cold", "tool"): 0.15,
    ("warm", "article"): 0.9,
}
# What readers ask for, by share of requests.
MIX = {"article": 0.75, "home": 0.08, "tag": 0.06, "tool": 0.05, "category": 0.03, "search": 0.03}
SEARCH_WORDS = ["latency", "cache", "tool 0042", "replica", "kasolo", "migration", "tool 0117"]


# Paths ------------------------------------------------------------------------------------------


def zipf(rng, items, count, exponent=1.0):
    """`count` picks from `items`, the first the most popular (Zipf's law)."""
    weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=count)


def ranked(rng, items):
    items = list(items)
    rng.shuffle(items)
    return items


def traffic_paths(corpus, count, seed=16):
    """A shuffled list of `count` readers' requests following MIX, Zipf-like within each kind."""
    rng = random.Random(seed)
    articles = ranked(rng, [f"/compare/{slug}/" for _pk, slug in corpus["articles"]])
    tags = ranked(rng, [f"/tags/{slug}/" for slug in corpus["tags"]])
    tools = ranked(rng, [f"/tools/{slug}/" for slug in corpus["tools"]])
    categories = ranked(rng, [f"/categories/{slug}/" for slug in corpus["categories"]])
    searches = ["/search/?q=" + urllib.parse.quote_plus(word) for word in SEARCH_WORDS]
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    pools = {
        "article": iter(zipf(rng, articles, count)),
        "home": iter(rng.choices(["/", "/", "/", "/?page=2"], k=count)),
        "tag": iter(zipf(rng, tags, count)),
        "tool": iter(zipf(rng, tools, count)),
        "category": iter(zipf(rng, categories, count)),
        "search": iter(zipf(rng, searches, count)),
    }
    return [next(pools[kind]) for kind in kinds]


def page_paths(corpus, rng):
    """For each page kind, the paths one run rotates through (a few hundred of each)."""
    return {
        "article": [
            f"/compare/{slug}/"
            for _pk, slug in rng.sample(corpus["articles"], min(200, len(corpus["articles"])))
        ],
        "home": ["/"],
        "tag": [f"/tags/{slug}/" for slug in corpus["tags"][:50]],
        "tool": [
            f"/tools/{slug}/" for slug in rng.sample(corpus["tools"], min(50, len(corpus["tools"])))
        ],
        "category": [f"/categories/{slug}/" for slug in corpus["categories"]],
        "search": ["/search/?q=" + urllib.parse.quote_plus(w) for w in SEARCH_WORDS],
    }


# Page runs --------------------------------------------------------------------------------------


def measure_pages(url, corpus, cache, args):
    rng = random.Random(3)
    paths = page_paths(corpus, rng)
    rows = []
    with Server(url, cache=cache, workers=args.workers):
        for name in args.pages:
            for path in paths[name]:
                fetch(path)  # warm the cache (and the database's own caches)
            results, controls = alternate(
                lambda name=name: wrk(
                    paths[name][0], args.duration, args.connections, paths=paths[name]
                ),
                lambda: wrk(CONTROL, args.duration, args.connections),
                args.rounds,
            )
            rows.append((name, results, controls))
    return rows


def pages_table(mode, rows):
    lines = [
        f"\n### {mode.capitalize()}: page cache {'on' if mode == 'warm' else 'off'}\n",
        "| page | req/s (median) | p50 ms | p99 ms | control req/s (median) "
        "| page ÷ control, min–median–max | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, results, controls in rows:
        pages = [page for page, _ratio in results]
        ratios = [ratio for _page, ratio in results]
        errors = sum(page["errors"] + page["non2xx"] for page in pages)
        target = TARGETS.get((mode, name))
        verdict = ""
        if target is not None:
            verdict = f"≥ {target}: {'met' if statistics.median(ratios) >= target else 'missed'}"
        lines.append(
            f"| {name} | {statistics.median(p['rps'] for p in pages):,.0f} | "
            f"{statistics.median(p['p50'] for p in pages):.1f} | "
            f"{statistics.median(p['p99'] for p in pages):.1f} | "
            f"{statistics.median(c['rps'] for c in controls):,.0f} | **{spread(ratios)}**"
            + (f" ({errors} errors)" if errors else "")
            + f" | {verdict} |"
        )
    return "\n".join(lines)


# Traffic ----------------------------------------------------------------------------------------


class Writers:
    """Readers' notes (`notes_per_second`, each a full form dance) and an edit a minute."""

    def __init__(self, env, corpus, notes_per_second, edit_every):
        self.env = env
        self.rng = random.Random(5)
        self.articles = ranked(self.rng, corpus["articles"])
        self.notes_per_second = notes_per_second
        self.edit_every = edit_every
        self.stop_event = threading.Event()
        self.outcomes = {"accepted": 0, "refused": 0, "failed": 0}
        self.edits = 0
        self.lock = threading.Lock()
        self.threads = []
        self.notes_in_flight = []

    def __enter__(self):
        if self.notes_per_second:
            self.threads.append(threading.Thread(target=self.note_loop, daemon=True))
        if self.edit_every:
            self.threads.append(threading.Thread(target=self.edit_loop, daemon=True))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=120)
        # Notes still on their way finish before the server stops: one cut off by the end of
        # the run is not a note the site lost.
        for note in self.notes_in_flight:
            note.join(timeout=60)

    def pick(self):
        return zipf(self.rng, self.articles, 1)[0]

    def note_loop(self):
        interval = 1 / self.notes_per_second
        while not self.stop_event.wait(interval):
            _pk, slug = self.pick()
            note = threading.Thread(target=self.note, args=(slug,), daemon=True)
            note.start()
            with self.lock:
                self.notes_in_flight.append(note)

    def note(self, slug):
        """
        What a reader's browser does: read the article (the same for everyone), start on the
        form (disagree.js asks for a stamp and gets its cookie), take a moment, post it.
        """
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        url = f"{BASE}/compare/{slug}/disagree/"
        try:
            with opener.open(f"{BASE}/compare/{slug}/", timeout=30) as response:
                response.read()
            with opener.open(f"{url}stamp/", timeout=30) as response:
                fields = {"stamp": json.loads(response.read())["stamp"]}
            time.sleep(1.2)
            fields.update(
                would_pick="b",
                message="I would pick the other one: it fits small teams better.",
                name="Bench reader",
                email="",
            )
            data = urllib.parse.urlencode(fields).encode()
            with opener.open(url, data=data, timeout=30) as response:
                accepted = "feedback=sent" in response.url
            outcome = "accepted" if accepted else "refused"
        except OSError:
            outcome = "failed"
        with self.lock:
            self.outcomes[outcome] += 1

    def edit_loop(self):
        first = min(20.0, self.edit_every)
        if self.stop_event.wait(first):
            return
        while True:
            pk, _slug = self.pick()
            code = (
                "from django.db import transaction\n"
                "from comparisons.models import Comparison\n"
                "with transaction.atomic():\n"
                f"    c = Comparison.objects.get(pk={pk})\n"
                "    c.summary = c.summary[:500] + ' Updated.'\n"
                "    c.save()\n"
            )
            subprocess.run(
                [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
                cwd=ROOT,
                env=self.env,
                check=False,
                capture_output=True,
            )
            with self.lock:
                self.edits += 1
            if self.stop_event.wait(self.edit_every):
                return


def measure_traffic(url, corpus, label, args, **server_env):
    paths_file = DATA / "traffic-paths.txt"
    paths = traffic_paths(corpus, 20000)
    paths_file.write_text("\n".join(paths) + "\n")
    with Server(url, cache=True, workers=args.workers, **server_env) as server:
        # "all": a site that has been up a while, where every page the traffic reads has had a
        # reader (each article's parts rendered, as the worker does when it is published; the
        # pages themselves expire as usual before the run). "start": the first readers of the day.
        warmup = list(dict.fromkeys(paths)) if args.traffic_warmup == "all" else paths[:300]
        for path in warmup:
            fetch(path)
        counts = []
        with Writers(server.env, corpus, args.notes_per_second, args.edit_every) as writers:

            def mixed():
                before = cache_counters()
                result = wrk(
                    paths[0], args.traffic_duration, args.connections, paths_file=paths_file
                )
                after = cache_counters()
                counts.append({key: after[key] - before[key] for key in after})
                return result

            results, controls = alternate(
                mixed, lambda: wrk(CONTROL, args.duration, args.connections), args.rounds
            )
    hits = sum(c["hit"] for c in counts)
    misses = sum(c["miss"] for c in counts)
    return {
        "label": label,
        "results": results,
        "controls": controls,
        "hit_rate": hits / (hits + misses) if hits + misses else 0.0,
        "notes": dict(writers.outcomes),
        "edits": writers.edits,
    }


def traffic_table(rows, args):
    lines = [
        "\n### Traffic: Zipf-like reads, "
        f"{args.notes_per_second:g} notes/s, an edit every {args.edit_every:g} s\n",
        f"Reads: {', '.join(f'{k} {v:.0%}' for k, v in MIX.items())}; within each kind the "
        "n-th most popular page gets 1/n of the requests. Notes fetch the form, wait 1.2 s and "
        "post it. Hit rate = hits ÷ (hits + misses) of `nicepick_page_cache_requests_total` "
        "over the traffic runs. Before the runs: "
        + (
            "every page the traffic reads, read once (a site that has been up: its articles' "
            "parts rendered; the pages themselves kept as usual: until what they show changes, "
            "an hour at most).\n"
            if args.traffic_warmup == "all"
            else "the first 300 requests only (a cold start).\n"
        ),
        "| corpus · cache | req/s (median) | p50 ms | p99 ms | control req/s (median) | "
        "traffic ÷ control, min–median–max | hit rate | notes accepted / refused / failed | "
        "edits |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        pages = [page for page, _ratio in row["results"]]
        ratios = [ratio for _page, ratio in row["results"]]
        errors = sum(page["errors"] + page["non2xx"] for page in pages)
        notes = row["notes"]
        lines.append(
            f"| {row['label']} | {statistics.median(p['rps'] for p in pages):,.0f} | "
            f"{statistics.median(p['p50'] for p in pages):.1f} | "
            f"{statistics.median(p['p99'] for p in pages):.1f} | "
            f"{statistics.median(c['rps'] for c in row['controls']):,.0f} | "
            f"**{spread(ratios)}**" + (f" ({errors} errors)" if errors else "") + " | "
            f"{row['hit_rate']:.1%} | {notes['accepted']} / {notes['refused']} / "
            f"{notes['failed']} | {row['edits']} |"
        )
    return "\n".join(lines)


# Search at scale --------------------------------------------------------------------------------

BROAD = ["latency", "throughput", "schema", "cache"]
NARROW = ["tool 0042", "tool 0117", "kasolo", "ruvoze"]


def search_at_scale(args):
    url, built = postgres_corpus("nicepick_bench_search", args.search_comparisons)
    lines = [
        f"\n### Search on PostgreSQL, {args.search_comparisons:,} comparisons, one connection, "
        "cache off\n",
        "| words | examples | req/s | p50 ms | p95 ms | p99 ms | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    with Server(url, cache=False, workers=1):
        for label, words in (("broad", BROAD), ("narrow", NARROW)):
            paths = ["/search/?q=" + urllib.parse.quote_plus(word) for word in words]
            for path in paths:
                fetch(path)
            result = wrk(paths[0], args.duration * 2, connections=1, threads=1, paths=paths)
            lines.append(
                f"| {label} | {', '.join(words)} | {result['rps']:,.0f} | {result['p50']:.1f} | "
                f"**{result['p95']:.1f}** | {result['p99']:.1f} | p95 < 50 ms: "
                f"{'met' if result['p95'] < 50 else 'missed'} |"
            )
    if built:
        lines.append(f"\n(corpus built in {built:.0f} s)")
    return "\n".join(lines)


# Main -------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--comparisons", type=int, default=2000)
    parser.add_argument("--large-comparisons", type=int, default=20000, help="0 to skip")
    parser.add_argument("--search-comparisons", type=int, default=10000, help="0 to skip")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk page run")
    parser.add_argument("--traffic-duration", type=int, default=15, help="seconds per run")
    parser.add_argument(
        "--traffic-warmup",
        choices=("all", "start"),
        default="all",
        help="before the traffic: every page it reads once (a site that has been up), or the "
        "first 300 requests (a cold start)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1))
    parser.add_argument("--notes-per-second", type=float, default=2)
    parser.add_argument("--edit-every", type=float, default=60, help="seconds between edits")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--parts", default="pages,traffic,backends,search")
    parser.add_argument(
        "--backends",
        default="sqlite,file,database,memory,redis",
        help="shared caches compared under traffic at --comparisons (default: sqlite)",
    )
    parser.add_argument("--database", choices=["auto", "postgresql", "sqlite"], default="auto")
    args = parser.parse_args()
    args.pages = [page for page in args.pages.split(",") if page]
    parts = set(args.parts.split(","))
    if args.rounds < 5:
        log("Note: the issue's rules ask for at least 5 rounds.")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    engine = args.database
    if engine == "auto":
        engine = "postgresql" if postgres_available() else "sqlite"
    started = time.time()
    collectstatic()
    if engine == "postgresql":
        url, built = postgres_corpus("nicepick_bench", args.comparisons, reuse=False)
    else:
        url = fresh_database("sqlite", "nicepick_bench")
        built = build(url, args.comparisons)
    corpus = describe(url)
    report = [
        f"## Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {machine()}. Database: {engine}, {args.comparisons:,} published comparisons "
        f"(built in bulk in {built:.0f} s). gunicorn: {args.workers} sync workers, production "
        f"settings. wrk: {args.connections} connections, {args.rounds} rounds, each run "
        "between two runs of the control view.",
        "",
        "Command: `make bench"
        + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
        + "`",
    ]
    if "pages" in parts:
        for mode, cache in (("cold", False), ("warm", True)):
            log(f"Measuring pages, {mode} …")
            report.append(pages_table(mode, measure_pages(url, corpus, cache, args)))
    traffic = []
    if "traffic" in parts:
        log(f"Measuring traffic over {args.comparisons:,} articles …")
        traffic.append(measure_traffic(url, corpus, f"{args.comparisons:,} · sqlite", args))
    if "backends" in parts:
        for backend in args.backends.split(","):
            if backend == "sqlite" and "traffic" in parts:
                continue
            log(f"Measuring traffic with the {backend} cache …")
            server_env = {"REDIS_URL": REDIS} if backend == "redis" else {}
            server_env["NICEPICK_LOCAL_CACHE"] = "sqlite" if backend == "redis" else backend
            traffic.append(
                measure_traffic(
                    url, corpus, f"{args.comparisons:,} · {backend}", args, **server_env
                )
            )
    if "traffic" in parts and args.large_comparisons:
        if engine == "postgresql":
            large, large_built = postgres_corpus("nicepick_bench_large", args.large_comparisons)
        else:
            large = fresh_database("sqlite", "nicepick_bench_large")
            large_built = build(large, args.large_comparisons)
        log(f"Measuring traffic over {args.large_comparisons:,} articles …")
        row = measure_traffic(large, describe(large), f"{args.large_comparisons:,} · sqlite", args)
        if large_built:
            row["label"] += f" (built in {large_built:.0f} s)"
        traffic.append(row)
    if traffic:
        report.append(traffic_table(traffic, args))
    if "search" in parts and engine == "postgresql" and args.search_comparisons:
        log("Measuring search at scale …")
        report.append(search_at_scale(args))
    report.append(f"\n(measured in {time.time() - started:.0f} s)\n")
    text = "\n".join(report)
    (DATA / "latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
