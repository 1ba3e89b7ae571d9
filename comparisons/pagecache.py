"""
Readers' pages from the cache, invalidated precisely.

Every anonymous GET of a public page is cached under its path. The entry records the
*dependency tags* of what the page shows (`comparisons.invalidation`: this article, the
comparisons on this list, their tools, “the published set”…) and the invalidation sequence
number read **before** the page was rendered. An entry is fresh while none of its tags has
changed since that number; so a page rendered while an edit was being committed is recognised
as older than the edit, and a reader's note refreshes its own article, not the site. So time
alone changes a page only when a scheduled comparison goes live: entries are kept until the
first one does (an hour at most, `page_seconds`). Browsers and CDNs, which cannot hear of a
change, are told to keep a page `NICEPICK_CACHE_SECONDS` (60).

Every cache and state call goes through `comparisons.stores`: when they fail, pages are
rendered from the database and not stored.

Every page is the same for every reader — the “Disagree?” form carries no CSRF token and no
stamp (see comparisons/antispam.py for how it gets one) — so every page is `public`: a CDN may
keep it, and the `Cache-Tag` header names its dependency tags for purging.
"""

import hashlib
import math
import re
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone

from . import invalidation
from .metrics import PAGE_CACHE
from .stores import page_cache, versions

# The longest a shared value over the live comparisons is kept (remember_live): they are
# invalidated by what they depend on, so this only bounds what a lost invalidation could cost.
VALUE_SECONDS = 24 * 60 * 60
# The longest the server keeps a page (page_seconds).
PAGE_SECONDS = 60 * 60
# Under this name `views.articles.live_totals` keeps {"count", "due"} (page_seconds reads it).
LIVE_TOTALS = "live-totals"

# What a page depends on when its view does not say: anything readers can see.
EVERYTHING = frozenset({invalidation.SITE, invalidation.PUBLISHED, invalidation.CONTENT})

# The query parameters readers' pages use, with the values they accept. Any other parameter or
# value renders the page uncached, so made-up query strings cannot fill the cache.
KNOWN_PARAMETERS = {
    "page": re.compile(r"[1-9][0-9]{0,4}"),
    "p": re.compile(r"[1-9][0-9]{0,4}"),  # a sitemap's page (comparisons.sitemaps)
    "q": re.compile(r"[^\x00]{0,200}", re.DOTALL),
    "feedback": re.compile(r"sent"),
    "category": re.compile(r"[-\w]{1,80}"),
    "tag": re.compile(r"[-\w]{1,100}"),
    "tools": re.compile(r"[-\w]{1,80}(,[-\w]{1,80}){1,3}"),  # a matrix (comparisons.facts)
}

# Signed in staff skip the cache. The session cookie alone proves nothing (anyone can send one),
# so the admin sets this signed cookie beside it (`StaffCookieMiddleware`).
STAFF_COOKIE = "nicepick_staff"
STAFF_SALT = "nicepick.staff-cookie"


def is_staff_browser(request):
    value = request.COOKIES.get(STAFF_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=STAFF_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:
        return False
    return True


def cacheable(request):
    return (
        settings.NICEPICK_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not is_staff_browser(request)
        and all(
            name in KNOWN_PARAMETERS
            and len(values) == 1
            and KNOWN_PARAMETERS[name].fullmatch(values[0])
            for name, values in request.GET.lists()
        )
    )


class DependsMixin:
    """For class-based views: say which tags the rendered page depends on."""

    def get_cache_deps(self, context):
        return EVERYTHING

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.cache_deps = lambda: self.get_cache_deps(context)
        return response


def cache_page(view, deps=None):
    """
    Serve a public view from the cache for anonymous readers (see the module docstring).
    `deps(response)` names what a function view depends on; class-based views use
    `DependsMixin`; a view that says nothing depends on everything.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            PAGE_CACHE.labels(result="bypass").inc()
            response = view(request, *args, **kwargs)
            response.setdefault("Cache-Control", "private, no-cache")
            return response
        key = page_key(request.get_full_path())
        entry = find_page(key)
        if entry is not None:
            PAGE_CACHE.labels(result="hit").inc()
            return answer(request, entry)
        PAGE_CACHE.labels(result="miss").inc()
        born = versions.current()  # read before rendering: see the module docstring
        with versions.reading_after(time.monotonic()):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        if response.status_code != 200 or response.streaming:
            return response
        entry = make_entry(response, dependencies(response, deps), born)
        if born is not None and invalidation.settled():
            seconds = page_seconds()
            entry["until"] = entry["made"] + seconds
            page_cache.set(key, entry, seconds)
            nearby.put(key, entry)
        return answer(request, entry)

    return wrapper


class Nearby:
    """
    This process's copies of the pages it rendered or read from the shared cache last (the
    oldest copy goes first), so the most read pages skip the shared cache's read and
    unpickling (about a tenth of a hit). A copy is used on the same terms as
    the shared entry — while none of its tags has changed — and for no longer than a page's
    lifetime from when it was rendered. At most `size` pages (~20 KB each) per process.
    """

    def __init__(self, size=500):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            return None
        if time.time() >= entry["until"]:
            self.discard(key)
            return None
        return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def discard(self, key):
        with self.lock:
            self.entries.pop(key, None)

    def clear(self):
        with self.lock:
            self.entries.clear()


nearby = Nearby()


def find_page(key):
    """A fresh entry for the page with this key: this process's copy, else the shared one."""
    if not invalidation.settled():
        return None
    entry = nearby.get(key)
    if entry is not None and is_fresh(entry):
        return entry
    entry = page_cache.get(key)
    if entry is None or not is_fresh(entry) or "until" not in entry:
        return None
    nearby.put(key, entry)
    return entry


def page_key(path):
    return "nicepick:page:" + hashlib.sha256(path.encode()).hexdigest()


def is_cached(path):
    """Whether a fresh copy of the page at `path` is in the cache (no database involved)."""
    return find_page(page_key(path)) is not None


def dependencies(response, deps):
    found = getattr(response, "cache_deps", None)
    if found is not None:
        found = found()
    elif deps is not None:
        found = deps(response)
    return sorted(set(found or EVERYTHING) | {invalidation.SITE})


def is_fresh(entry):
    current = versions.of(entry["deps"])
    if current is None:
        return False
    born = entry["born"]
    return all(version <= born for version in current.values())


def make_entry(response, deps, born):
    """What is kept of a page: its bytes and every header it is served with, ready to send."""
    body = response.content
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        name: value
        for name, value in response.items()
        if name.lower() in ("x-robots-tag", "content-language", "vary")
    }
    headers.update(
        {
            "ETag": etag,
            "Cache-Control": f"public, max-age={settings.NICEPICK_CACHE_SECONDS}",
            # The page's dependency tags, for a CDN to purge by (Cache-Tag: Cloudflare,
            # Fastly's Surrogate-Key). Our tags are short: a page's list stays within limits.
            "Cache-Tag": ",".join(deps),
            "Surrogate-Key": " ".join(deps),
        }
    )
    return {
        "body": body,
        "content_type": response["Content-Type"],
        "etag": etag,
        "headers": headers,
        "deps": deps,
        "born": born or 0,
        "made": time.time(),
    }


def answer(request, entry):
    """The entry as a response for this reader: 304 when they have it, the page otherwise."""
    if request.headers.get("If-None-Match") == entry["etag"]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry["body"], content_type=entry["content_type"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def remember(key, deps, compute):
    """A value shared by many pages (the navigation, popular tags), kept like a page."""
    value, _deps = keep(f"value:{key}", lambda: (compute(), deps))
    return value


def remember_live(key, deps, compute):
    """
    `remember` for a count or listing over the live comparisons: `compute()` returns (value,
    due), `due` being when the first scheduled comparison among those it covers goes live
    (`models.goes_live`), None when none is. The value changes with what is published (`deps`)
    and by the clock only at `due`, so it is kept until then, a day at most, instead of a
    page's minute: its pass over every live article (90 ms for the tags at 100,000) is made
    once per change, not once a minute by whichever reader comes.
    """
    kept_as, lifetime = f"value:{key}", []

    def build(_missing):
        value, due = compute()
        lifetime.append(seconds_until(due))
        return {kept_as: (value, deps)}

    value, _deps = keep_many([kept_as], build, lambda: lifetime[0])[kept_as]
    return value


def page_seconds():
    """
    How long the server keeps a page it has just rendered: pages are invalidated by what they
    show (their tags), so time changes them only when a scheduled article goes live — they are
    kept until the first does, an hour at most (the parts they are built from are kept that
    long: facts turn stale by the day). That moment is read from the kept live totals
    (`views.articles.live_totals`), never counted for it: when they are not kept (just after a
    change, without a worker), a page is kept `NICEPICK_CACHE_SECONDS`, which is also what
    browsers and CDNs are told.
    """
    totals = peek(LIVE_TOTALS)
    if totals is None:
        return settings.NICEPICK_CACHE_SECONDS
    return min(seconds_until(totals["due"]), PAGE_SECONDS)


def peek(key):
    """What `remember` or `remember_live` keep under `key` if it is fresh, else None."""
    entry = page_cache.get(f"nicepick:value:{key}") if invalidation.settled() else None
    return entry["value"] if entry is not None and is_fresh(entry) else None


def seconds_until(due):
    """Whole seconds from now until `due` (a datetime or None), within 1 and VALUE_SECONDS."""
    if due is None:
        return VALUE_SECONDS
    seconds = math.ceil((due - timezone.now()).total_seconds())
    return min(max(seconds, 1), VALUE_SECONDS)


def keep(key, compute, timeout=None):
    """
    A piece of pages kept like a page, and fresh on the same terms: `compute()` returns the
    value and the tags it depends on. Returns (value, tags). An exception from `compute`
    reaches the caller and nothing is stored. Pieces that a scheduled article going live
    cannot make stale may give a `timeout` longer than a page's.
    """
    return keep_many([key], lambda _missing: {key: compute()}, timeout)[key]


def keep_many(keys, compute, timeout=None):
    """
    `keep` for many pieces in one round trip: `compute(missing_keys)` returns
    {key: (value, tags)} for those not kept or no longer fresh. Returns {key: (value, tags)}.
    `timeout` may be a function, called once they are computed.
    """
    full = {key: f"nicepick:{key}" for key in keys}
    entries = page_cache.get_many(list(full.values())) if invalidation.settled() else {}
    found, missing = {}, []
    for key, name in full.items():
        entry = entries.get(name)
        if entry is not None and is_fresh(entry):
            found[key] = entry["value"], entry["deps"]
        else:
            missing.append(key)
    if not missing:
        return found
    born = versions.current()
    with versions.reading_after(time.monotonic()):  # the pieces it uses: see stores.Versions
        computed = compute(missing)
    entries = {}
    for key, (value, deps) in computed.items():
        deps = sorted(set(deps) | {invalidation.SITE})
        found[key] = value, deps
        entries[full[key]] = {"value": value, "deps": deps, "born": born}
    if callable(timeout):  # known once computed (remember_live)
        timeout = timeout()
    if born is not None and invalidation.settled():
        page_cache.set_many(entries, timeout or page_seconds())
    return found


class StaffCookieMiddleware:
    """
    Sets the signed cookie that lets signed-in staff skip the page cache on the admin's
    responses (where the user is known anyway), and removes it once they are signed out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (hasattr(request, "user") and request.path.startswith("/admin/")):
            return response
        if response.status_code >= 500:
            return response  # the user lives in the database, which may be what failed
        signed_in = request.user.is_authenticated and request.user.is_staff
        if signed_in and not is_staff_browser(request):
            response.set_cookie(
                STAFF_COOKIE,
                signing.dumps(request.user.pk, salt=STAFF_SALT),
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif not signed_in and STAFF_COOKIE in request.COOKIES:
            response.delete_cookie(STAFF_COOKIE, samesite="Lax")
        return response
