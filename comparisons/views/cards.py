"""The social cards (`comparisons.socialcards`) served from MEDIA_ROOT/cards/ with cache headers."""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

CARD_NAME = re.compile(r"[-\w]{1,240}\.png")
# A card's name changes whenever its picture does, so a cached copy never goes stale.
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def social_card(request, name):
    if not CARD_NAME.fullmatch(name):
        raise Http404("No such card.")
    path = Path(settings.MEDIA_ROOT) / "cards" / name
    try:
        modified = path.stat().st_mtime
    except OSError:
        raise Http404("No such card.") from None
    if not was_modified_since(request.headers.get("If-Modified-Since"), int(modified)):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type="image/png")
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response
