"""
`make scale`: every public and admin page at 2,000, 10,000 and 100,000 comparisons on
PostgreSQL, one connection, page cache off: p50/p95 per page (issue 16 item 7).

Each corpus is built in bulk once by `manage.py generatebench` (kept for the next run as
`nicepick_scale_<n>`). The pages are requested in this process through Django's test client
with production settings (`DJANGO_DEBUG=0`, persistent connection), so a figure is the
server's whole cost of a request — URL resolving, middleware, queries, templates — without
the network. Admin pages are requested as a logged-in superuser. Several articles, tags and
tools are rotated through so that one lucky row does not stand for all.

    .venv/bin/python bench/scale.py --sizes 2000,10000,100000 --requests 40

Prints a Markdown table (kept in `bench/data/scale.md`); figures we quote go in RESULTS.md.
"""

import argparse
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lib  # noqa: E402

BROAD = ["latency", "cache", "migration"]
NARROW = ["kasolo", "ruvoze", "tool 0042"]
BUDGET_MS = 100


def child(requests):
    """In the child process: the pages of this corpus, timed; prints one RESULT line."""
    # Set up as gunicorn's workers are: through the WSGI module (which also freezes what is
    # loaded at start-up out of the garbage collector's sight).
    importlib.import_module("nicepick.wsgi")
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from taggit.models import Tag

    from comparisons.models import Category, Comparison, Feedback, Tool

    published = Comparison.objects.published()
    count = published.count()
    step = max(count // 8, 1)
    articles = list(published.order_by("pk").values_list("pk", "slug")[::step])[:8]
    tools = list(
        Tool.objects.annotate(n=Count("comparisons_as_a"))
        .order_by("-n")
        .values_list("pk", "slug")[:4]
    )
    tags = list(Tag.objects.order_by("pk").values_list("slug", flat=True)[:4])
    tag_pages = -(-published.filter(tags__slug=tags[0]).count() // 12)
    matrix = ",".join(sorted(slug for _, slug in tools[:3]))
    categories = list(Category.objects.order_by("pk").values_list("slug", flat=True)[:4])
    category_ids = list(Category.objects.order_by("pk").values_list("pk", flat=True)[:4])
    tag_ids = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:4])
    year = published.order_by("-published_at").values_list("published_at__year", flat=True)[0]
    feedback = list(Feedback.objects.order_by("pk").values_list("pk", flat=True)[::step][:8])
    q = urllib.parse.quote_plus
    changes = "/admin/comparisons/comparison/"

    admin_user = get_user_model().objects.filter(username="scale-admin").first()
    if admin_user is None:
        admin_user = get_user_model().objects.create_superuser("scale-admin", "", "unused-password")

    PAGES = {
        "public": [
            ("home", ["/"]),
            ("home, page 2", ["/?page=2"]),
            ("article", [f"/compare/{slug}/" for _, slug in articles]),
            ("tags index", ["/tags/"]),
            ("tag", [f"/tags/{slug}/" for slug in tags]),
            ("tag, last page", [f"/tags/{tags[0]}/?page={tag_pages}"]),
            ("categories index", ["/categories/"]),
            ("category", [f"/categories/{slug}/" for slug in categories]),
            ("tool", [f"/tools/{slug}/" for _, slug in tools]),
            ("tool, page 2", [f"/tools/{slug}/?page=2" for _, slug in tools]),
            ("search, broad", [f"/search/?q={q(w)}" for w in BROAD]),
            ("search, narrow", [f"/search/?q={q(w)}" for w in NARROW]),
            ("feed", ["/feed/"]),
            ("tag feed", [f"/tags/{slug}/feed/" for slug in tags]),
            ("changes", ["/changes/"]),
            ("matrix", [f"/matrix/?tools={matrix}"]),
            ("api compare", [f"/api/compare/{slug}.json" for _, slug in articles]),
            ("api tool", [f"/api/tools/{slug}.json" for _, slug in tools]),
            ("sitemap index", ["/sitemap.xml"]),
            ("sitemap, comparisons page 1", ["/sitemap-comparisons.xml"]),
            ("sitemap, tools", ["/sitemap-tools.xml"]),
        ],
        "admin": [
            ("dashboard", ["/admin/"]),
            ("comparisons", ["/admin/comparisons/comparison/"]),
            ("comparisons, search", [f"/admin/comparisons/comparison/?q={q(w)}" for w in BROAD]),
            (
                "comparisons, filtered",
                [
                    "/admin/comparisons/comparison/?status__exact=published",
                    f"/admin/comparisons/comparison/?category__id__exact={category_ids[0]}",
                    f"/admin/comparisons/comparison/?tags__id__exact={tag_ids[0]}",
                    f"/admin/comparisons/comparison/?author__id__exact={admin_user.pk}",
                    "/admin/comparisons/comparison/?author__isnull=True",
                    "/admin/comparisons/comparison/?published_at__gte="
                    + q(f"{year}-01-01 00:00:00+00:00"),
                    f"/admin/comparisons/comparison/?published_at__year={year}",
                ],
            ),
            (
                "comparisons, filtered and searched",
                [
                    "/admin/comparisons/comparison/?status__exact=published&q=latency",
                    f"/admin/comparisons/comparison/?category__id__exact={category_ids[0]}&q=cache",
                ],
            ),
            (
                "comparisons, sorted",
                [
                    "/admin/comparisons/comparison/?o=1",
                    "/admin/comparisons/comparison/?o=-6",
                    "/admin/comparisons/comparison/?o=2.1",
                ],
            ),
            ("comparison change", [f"{changes}{pk}/change/" for pk, _ in articles]),
            ("comparison history", [f"{changes}{pk}/history/" for pk, _ in articles[:4]]),
            ("feedback inbox", ["/admin/comparisons/feedback/"]),
            (
                "feedback, filtered",
                [
                    "/admin/comparisons/feedback/?status__exact=new",
                    f"/admin/comparisons/feedback/?comparison__id__exact={articles[0][0]}",
                    "/admin/comparisons/feedback/?would_pick=pick&status__exact=new",
                ],
            ),
            ("feedback, search", [f"/admin/comparisons/feedback/?q={q(w)}" for w in BROAD]),
            ("feedback change", [f"/admin/comparisons/feedback/{pk}/change/" for pk in feedback]),
            ("tools", ["/admin/comparisons/tool/"]),
            ("tool change", [f"/admin/comparisons/tool/{pk}/change/" for pk, _ in tools]),
        ],
    }

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin_user)
    rows = []
    only = os.environ.get("SCALE_ONLY")
    # "Cold values": the shared values some pages keep between changes (counts per tag and
    # category, navigation, sitemap listings: pagecache.remember_live) dropped before each
    # request, as on the first request after a publication when no worker runs.
    cold_values = os.environ.get("SCALE_COLD_VALUES") == "1"
    from django.core.cache import caches

    for group, pages in PAGES.items():
        if only and group != only:
            continue
        for label, paths in pages:
            statuses, sizes = set(), []
            for path in paths:  # warm: compiled templates, plans, the connection
                response = client.get(path)
                statuses.add(response.status_code)
                sizes.append(len(response.content))
            times = []
            for n in range(requests):
                path = paths[n % len(paths)]
                if cold_values:
                    caches["default"].clear()
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
            times.sort()
            rows.append(
                {
                    "group": group,
                    "page": label,
                    "statuses": sorted(statuses),
                    "p50": statistics.median(times),
                    "p95": times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)],
                    "kb": statistics.median(sizes) / 1024,
                }
            )
    print("RESULT " + json.dumps({"count": count, "rows": rows}))


def measure(url, requests, only=None, cold_values=False):
    # Its own state and cache folder: values kept for one corpus must not serve another.
    state = tempfile.mkdtemp(prefix="scale-state-", dir=lib.DATA)
    env = lib.environment(
        url,
        cache=False,
        DATABASE_CONN_MAX_AGE=600,
        NICEPICK_STATE_DIR=state,
        SCALE_COLD_VALUES="1" if cold_values else "0",
    )
    if only:
        env["SCALE_ONLY"] = only
    result = subprocess.run(
        [lib.PYTHON, __file__, "--child", str(requests)],
        cwd=lib.ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "nicepick.settings", "PYTHONPATH": str(lib.ROOT)},
        capture_output=True,
        text=True,
    )
    shutil.rmtree(state, ignore_errors=True)
    if result.returncode:
        sys.exit(result.stderr)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def table(results, sizes):
    head = " | ".join(f"{size:,}: p50 / p95 ms" for size in sizes)
    lines = [f"| page | {head} | KB at {sizes[-1]:,} |", "|---|" + "---:|" * (len(sizes) + 1)]
    first = results[sizes[0]]["rows"]
    for index, row in enumerate(first):
        cells = []
        for size in sizes:
            other = results[size]["rows"][index]
            mark = "" if other["p95"] < BUDGET_MS else " ✗"
            flag = "" if other["statuses"] == [200] else f" (HTTP {other['statuses']})"
            cells.append(f"{other['p50']:.1f} / **{other['p95']:.1f}**{mark}{flag}")
        size_kb = results[sizes[-1]]["rows"][index]["kb"]
        lines.append(f"| {row['group']}: {row['page']} | {' | '.join(cells)} | {size_kb:.0f} |")
    return "\n".join(lines)


def cold_table(kept, cold, size):
    """The public pages at `size` with the shared values kept, and dropped before each request."""
    lines = [
        f"\nThe same public pages at {size:,} with the values pages share between changes "
        "(counts per tag and category, navigation, sitemap listings) **dropped before every "
        "request**, as on the first request after an article is published when no task "
        "worker runs, or after the cache is lost (with a worker they are computed again "
        "after each change and when a scheduled article goes live):\n",
        "| page | values kept: p50 / p95 ms | values cold: p50 / p95 ms |",
        "|---|---:|---:|",
    ]
    kept_rows = {row["page"]: row for row in kept["rows"] if row["group"] == "public"}
    for row in cold["rows"]:
        before = kept_rows.get(row["page"])
        if before is None:
            continue
        mark = "" if row["p95"] < BUDGET_MS else " ✗"
        lines.append(
            f"| {row['page']} | {before['p50']:.1f} / {before['p95']:.1f} | "
            f"{row['p50']:.1f} / **{row['p95']:.1f}**{mark} |"
        )
    return [*lines, ""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000,100000")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true", help="build the corpora afresh")
    parser.add_argument(
        "--database",
        help="measure this PostgreSQL database as it is (a URL) instead of the corpora",
    )
    parser.add_argument("--only", choices=("public", "admin"), help="one group of pages")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    lib.collectstatic()
    if not lib.postgres_available():
        sys.exit("bench/scale.py needs PostgreSQL at 127.0.0.1:5432.")
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.time()
    results, built = {}, {}
    for size in sizes:
        if args.database:
            lib.log(f"Measuring {args.database} …")
            results[size] = measure(args.database, args.requests, args.only)
            continue
        url, built[size] = lib.postgres_corpus(
            f"nicepick_scale_{size}", size, reuse=not args.rebuild
        )
        lib.log(f"Measuring {size:,} comparisons …")
        results[size] = measure(url, args.requests, args.only)
    cold = None
    if not args.database and args.only != "admin":
        lib.log(f"Measuring {sizes[-1]:,} comparisons with cold values …")
        cold = measure(url, args.requests, "public", cold_values=True)
    report = "\n".join(
        [
            f"## Scale run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n",
            f"Machine: {lib.machine()}. PostgreSQL, one connection, page cache off (values "
            "that pages share between changes kept, as in production), "
            f"production settings, {args.requests} requests per page after a warm-up; "
            f"✗ marks p95 ≥ {BUDGET_MS} ms.\n",
            f"Command: `.venv/bin/python bench/scale.py --sizes {args.sizes} "
            f"--requests {args.requests}`\n",
            table(results, sizes),
            "",
            *(cold_table(results[sizes[-1]], cold, sizes[-1]) if cold else []),
            "Corpora built in "
            + ", ".join(f"{size:,}: {secs:.0f} s" for size, secs in built.items() if secs)
            + f" (reused where 0); whole run {time.time() - started:.0f} s.",
        ]
    )
    lib.DATA.mkdir(exist_ok=True)
    (lib.DATA / "scale.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    os.chdir(lib.ROOT)
    main()
