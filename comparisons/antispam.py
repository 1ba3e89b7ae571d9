"""
Keeping bots out of the “Disagree?” form without third parties: a signed, one-time stamp
(when the form was shown, and a nonce that makes a double submit store one row), a honeypot
field, and a per-client rate limit on a keyed hash of the IP address.

Article pages are the same for every reader (a CDN may keep them), so they carry no stamp and
no CSRF token. The stamp is issued when the reader starts on the form (a tiny uncached request
made by disagree.js), or — without JavaScript — by a first POST that answers "check your note
and send it again". Each stamp is bound to its article and to a random `nicepick_reader`
cookie set with it (SameSite=Lax, HttpOnly): a page on another site can neither read a stamp
for the reader's browser nor send the cookie with a cross-site POST, which is what Django's
CSRF token did for this form (a double-submit cookie).
"""

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

SALT = "nicepick.feedback.stamp"
READER_COOKIE = "nicepick_reader"
READER_KEY = re.compile(r"[A-Za-z0-9_-]+")


class StampError(ValueError):
    """The form's stamp is too fresh, too old or not ours; the message says so to the reader."""


def new_reader_key():
    return secrets.token_urlsafe(18)


def reader_key(request):
    """The reader's random cookie, if their browser sent one that looks like ours."""
    value = request.COOKIES.get(READER_COOKIE, "")
    if 16 <= len(value) <= 64 and READER_KEY.fullmatch(value):
        return value
    return None


def _reader_digest(reader):
    key = settings.NICEPICK_IP_HASH_KEY.encode()
    return hmac.new(key, f"reader:{reader}".encode(), hashlib.sha256).hexdigest()[:24]


def issue_stamp(issued_at=None, article=None, reader=None):
    """
    A signed stamp for a freshly shown form: {nonce, time shown, the article it is for (its
    slug: no database needed to issue one), the reader's cookie it goes with (a keyed digest)}.
    """
    issued_at = time.time() if issued_at is None else issued_at
    data = {
        "n": secrets.token_hex(16),
        "t": int(issued_at),
        "c": article,
        "r": _reader_digest(reader) if reader else "",
    }
    return signing.dumps(data, salt=SALT)


def stamp_article(value):
    """The article a stamp was issued for (unchecked: only to issue the next one)."""
    try:
        return signing.loads(value, salt=SALT).get("c")
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        return None


def set_reader_cookie(response, reader):
    response.set_cookie(
        READER_COOKIE,
        reader,
        max_age=settings.NICEPICK_FEEDBACK_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def check_stamp(value, article, reader):
    """The stamp's nonce, if the form was shown long enough ago and not too long ago."""
    try:
        data = signing.loads(value or "", salt=SALT)
        nonce, shown, bound = str(data["n"]), float(data["t"]), data["r"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise StampError(
            "This form could not be checked (it may have been changed on the way). "
            "Your text is kept below: please send it again."
        ) from error
    if data["c"] != article:
        raise StampError(
            "This form belongs to another article. Your text is kept below: please check it "
            "and send it again from here."
        )
    if not reader or not hmac.compare_digest(bound, _reader_digest(reader)):
        raise StampError(
            "Your browser did not send back the cookie this form goes with (it may have been "
            "sent from another site). Your text is kept below: please send it again."
        )
    age = time.time() - shown
    if age < settings.NICEPICK_FEEDBACK_MIN_SECONDS:
        raise StampError(
            "That was quicker than we expect from a person. Your text is kept below: "
            "please check it and send it again."
        )
    if age > settings.NICEPICK_FEEDBACK_MAX_AGE:
        raise StampError(
            "This form was opened too long ago. Your text is kept below: please send it again."
        )
    return nonce


def client_ip(request):
    """
    The reader's address: `REMOTE_ADDR`, unless `NICEPICK_TRUSTED_PROXIES` says how many proxies
    of ours sit in front, in which case it is the address the outermost of them saw.
    """
    proxies = settings.NICEPICK_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(ip):
    """
    What the rate limit counts: an IPv4 address, or an IPv6 client's /64 network (one
    household or server gets a whole /64, and picking a new address in it must not help).
    Written in one canonical form, so "2001:DB8::1" and "2001:db8:0::1" are one client.
    """
    try:
        address = ipaddress.ip_address(ip.strip().split("%")[0])
    except ValueError:
        return ip.strip()
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hash_ip(ip):
    """A keyed hash: the same reader gets the same value, and the address cannot be read back."""
    key = settings.NICEPICK_IP_HASH_KEY.encode()
    return hmac.new(key, client_key(ip).encode(), hashlib.sha256).hexdigest()


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:200]


def over_rate_limit(ip_hash):
    """True when this client has sent as many as the limit allows within the window."""
    from .models import Feedback

    limit, window = settings.NICEPICK_FEEDBACK_RATE_LIMIT
    since = timezone.now() - timedelta(seconds=window)
    return Feedback.objects.filter(ip_hash=ip_hash, created_at__gte=since).count() >= limit


def hold_client(ip_hash):
    """
    Inside a transaction: make this client's notes wait for each other until it commits, so
    counting them and adding one is atomic (60 notes sent at once past a limit of 5 store 5).
    The client's row is updated (row lock on PostgreSQL, the write lock on SQLite), or created.
    """
    from .models import FeedbackClient

    now = timezone.now()
    if FeedbackClient.objects.filter(ip_hash=ip_hash).update(last_seen=now):
        return
    try:
        with transaction.atomic():
            FeedbackClient.objects.create(ip_hash=ip_hash, last_seen=now)
    except IntegrityError:  # another of their notes created it first: wait for it
        FeedbackClient.objects.filter(ip_hash=ip_hash).update(last_seen=now)


_proxy_warned = False


def warn_about_untrusted_proxy(request):
    """
    Once per process: requests reach us through a proxy on this machine (they come from a
    loopback address with X-Forwarded-For) while NICEPICK_TRUSTED_PROXIES is 0, so every reader
    shares the proxy's address and one rate limit.
    """
    global _proxy_warned
    if _proxy_warned or settings.NICEPICK_TRUSTED_PROXIES:
        return
    if "HTTP_X_FORWARDED_FOR" not in request.META:
        return
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return
    if loopback:
        _proxy_warned = True
        logger.warning(
            "Requests come from a proxy on this machine (%s, with X-Forwarded-For) but "
            "NICEPICK_TRUSTED_PROXIES is 0: every reader shares the proxy's address, and so one "
            "rate limit. Set NICEPICK_TRUSTED_PROXIES=1 (see README, Deploying).",
            request.META.get("REMOTE_ADDR"),
        )
