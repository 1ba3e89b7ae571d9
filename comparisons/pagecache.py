"""
Readers' pages from the cache, invalidated by a content generation.

Every anonymous GET of a public page is cached under a key that includes the current
*generation*, a number bumped by any change readers could see (a comparison, its factors,
verdict, tags, tools, categories, feedback or a workflow event). A change therefore makes the
next request render afresh; no TTL guess is involved, and old entries simply age out. The TTL
(`NICEPICK_CACHE_SECONDS`) only bounds how late a scheduled comparison appears.

The “Disagree?” form stays personal although the page around it is shared: the cached body
holds placeholders where the CSRF token and the anti-spam stamp go, and each response gets
the reader's own token (and cookie) and a fresh stamp. Pages with the form are therefore
`private` for HTTP caches; the others are `public`.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from . import antispam

GENERATION_KEY = "nicepick:generation"
CSRF_SLOT = "\x00csrf\x00"
STAMP_SLOT = "\x00stamp\x00"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
STAMP_VALUE = re.compile(r'(name="stamp" value=")[^"]*(")')


def generation():
    """The current content generation, shared by every process (see settings.CACHES)."""
    value = caches["state"].get(GENERATION_KEY)
    if value is None:
        value = bump()
    return value


def bump(**kwargs):
    """Something readers can see has changed: every cached page is now stale."""
    state = caches["state"]
    try:
        return state.incr(GENERATION_KEY)
    except ValueError:
        value = time.time_ns()  # never reuses a number an earlier process may have cached
        state.set(GENERATION_KEY, value, timeout=None)
        return value


def connect():
    from taggit.models import Tag

    from .models import (
        Category,
        Comparison,
        Factor,
        Feedback,
        TaggedComparison,
        Tool,
        Verdict,
        WorkflowEvent,
    )

    for model in (
        Comparison,
        Factor,
        Verdict,
        Tool,
        Category,
        Tag,
        Feedback,
        WorkflowEvent,
        TaggedComparison,
    ):
        uid = f"pagecache-{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    m2m_changed.connect(bump, sender=TaggedComparison, dispatch_uid="pagecache-tags", weak=False)


# Query parameters the readers' pages use; any other makes a request render uncached, so
# made-up query strings cannot fill the cache with copies of the same page.
KNOWN_PARAMETERS = {"page", "q", "feedback", "category", "tag"}


def cacheable(request):
    return (
        settings.NICEPICK_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        # Signed-in staff and writers always see the page as it is now.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and KNOWN_PARAMETERS.issuperset(request.GET.keys())
    )


def cache_page(view):
    """Serve a public view from the cache for anonymous readers (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            response = view(request, *args, **kwargs)
            response.setdefault("Cache-Control", "private, no-cache")
            return response
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"nicepick:page:{generation()}:{path_hash}"
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.streaming:
                return response
            entry = store(key, response)
        if request.headers.get("If-None-Match") == entry["etag"]:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = entry["etag"]
            not_modified["Cache-Control"] = entry["cache_control"]
            return not_modified
        return serve(request, entry)

    return wrapper


def store(key, response):
    body = response.content.decode(response.charset)
    personal = "csrfmiddlewaretoken" in body
    body = CSRF_VALUE.sub(rf"\g<1>{CSRF_SLOT}\g<2>", body)
    body = STAMP_VALUE.sub(rf"\g<1>{STAMP_SLOT}\g<2>", body)
    max_age = settings.NICEPICK_CACHE_SECONDS
    entry = {
        "body": body,
        "content_type": response["Content-Type"],
        "etag": f'W/"{hashlib.sha256(body.encode()).hexdigest()[:32]}"',
        "personal": personal,
        "cache_control": f"{'private' if personal else 'public'}, max-age={max_age}",
        "headers": {
            name: value
            for name, value in response.items()
            if name.lower() in ("x-robots-tag", "content-language")
        },
    }
    cache.set(key, entry, timeout=max_age)
    return entry


def serve(request, entry):
    body = entry["body"]
    if entry["personal"]:
        body = body.replace(CSRF_SLOT, get_token(request)).replace(
            STAMP_SLOT, antispam.issue_stamp()
        )
    response = HttpResponse(body, content_type=entry["content_type"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Cache-Control"] = entry["cache_control"]
    if entry["personal"]:
        patch_vary_headers(response, ["Cookie"])
    return response
