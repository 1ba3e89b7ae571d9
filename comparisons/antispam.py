"""
Keeping bots out of the “Disagree?” form without third parties: a signed, one-time stamp
(when the form was shown, and a nonce that makes a double submit store one row), a honeypot
field, and a per-client rate limit on a keyed hash of the IP address.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "nicepick.feedback.stamp"


class StampError(ValueError):
    """The form's stamp is too fresh, too old or not ours; the message says so to the reader."""


def issue_stamp(issued_at=None):
    """A signed stamp for a freshly shown form: {nonce, time shown}."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"n": secrets.token_hex(16), "t": int(issued_at)}, salt=SALT)


def check_stamp(value):
    """The stamp's nonce, if the form was shown long enough ago and not too long ago."""
    try:
        data = signing.loads(value or "", salt=SALT)
        nonce, shown = str(data["n"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise StampError(
            "This form could not be checked (it may have been changed on the way). "
            "Your text is kept below: please send it again."
        ) from error
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


def hash_ip(ip):
    """A keyed hash: the same reader gets the same value, and the address cannot be read back."""
    key = settings.NICEPICK_IP_HASH_KEY.encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:200]


def over_rate_limit(ip_hash):
    """True when this client has sent as many as the limit allows within the window."""
    from .models import Feedback

    limit, window = settings.NICEPICK_FEEDBACK_RATE_LIMIT
    since = timezone.now() - timedelta(seconds=window)
    return Feedback.objects.filter(ip_hash=ip_hash, created_at__gte=since).count() >= limit
