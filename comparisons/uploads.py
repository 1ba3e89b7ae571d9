"""
Editors' image uploads: what is accepted, what is stored, and how readers get it back.

An upload is trusted for nothing it says about itself (name, extension, content type):

- its format is detected from its content, and only PNG and JPEG are accepted;
- its size in pixels is read from the header (Pillow opens files lazily) and refused above
  `NICEPICK_UPLOAD_MAX_PIXELS` before a single pixel is decoded: a 20,000 × 20,000 PNG of zeros
  is under 1 MB on the wire and 400 MB once decoded;
- its pixels are scaled to the editor's size and re-encoded into a fresh file that carries
  none of the original's metadata (EXIF, comments, text chunks: a script hidden there is gone);
- it is stored under a random name whose extension comes from the detected format.

Readers get it from `serve`, which answers only for image files directly under the uploads
folder, so a stray file there (say an `.html` stored by an older version) is never served.
"""

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from PIL import Image, ImageOps, UnidentifiedImageError

# Detected format → extension of the file we write.
ENCODINGS = {"PNG": "png", "JPEG": "jpg"}
SERVED_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
# Our names are 32 hex digits; older uploads were UUIDs with the client's extension.
SERVED_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*\.(png|jpe?g)", re.IGNORECASE)
PNG_MODES = {"1", "L", "LA", "RGB", "RGBA"}
JPEG_MODES = {"L", "RGB"}
# Pillow's errors for files it cannot parse or decode (truncated data, broken chunks).
DECODING_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass
class EncodedImage:
    content: bytes
    extension: str


def megapixels(pixels):
    return f"{pixels / 1_000_000:,.2f}".rstrip("0").rstrip(".")


def too_many_pixels(size=None):
    limit = megapixels(settings.NICEPICK_UPLOAD_MAX_PIXELS)
    if size is None:
        what = "This image has too many pixels"
    else:
        width, height = size
        what = (
            f"This image is {width:,} × {height:,} pixels ({megapixels(width * height)} megapixels)"
        )
    return ValidationError(
        f"{what}; images may have at most {limit} megapixels. Scale it down and upload it again.",
        code="too_many_pixels",
    )


def unreadable():
    return ValidationError("This file is not a readable image.", code="invalid_image")


def reencode(upload):
    """
    The upload as a clean PNG or JPEG (`EncodedImage`), or `ValidationError` saying why not.
    Nothing is decoded before the format and the pixel count have been checked.
    """
    try:
        image = Image.open(upload)  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard (far above ours) fires while opening: no size to quote.
        raise too_many_pixels() from error
    except DECODING_ERRORS as error:
        raise unreadable() from error
    with image:
        if image.format not in ENCODINGS:
            raise ValidationError("Only PNG and JPEG images can be uploaded.", code="format")
        width, height = image.size
        if width * height > settings.NICEPICK_UPLOAD_MAX_PIXELS:
            raise too_many_pixels(image.size)
        image_format = image.format
        try:
            clean = _clean_pixels(image, image_format)
        except DECODING_ERRORS as error:
            raise unreadable() from error
    output = io.BytesIO()
    if image_format == "JPEG":
        quality = settings.MARKDOWNX_IMAGE_MAX_SIZE.get("quality", 85)
        clean.save(output, "JPEG", quality=quality, optimize=True)
    else:
        clean.save(output, "PNG", optimize=True)
    return EncodedImage(output.getvalue(), ENCODINGS[image_format])


def _clean_pixels(image, image_format):
    """The image's pixels alone, upright and scaled to fit, in a mode its format can write."""
    image.thumbnail(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"])  # decodes; JPEG at a reduced scale
    image = ImageOps.exif_transpose(image)  # a phone photo stays upright without its EXIF
    if image_format == "PNG" and image.has_transparency_data and image.mode not in {"LA", "RGBA"}:
        image = image.convert("RGBA")
    elif image.mode not in (JPEG_MODES if image_format == "JPEG" else PNG_MODES):
        image = image.convert("RGB")
    # A new image holds pixels only: no info, EXIF, ICC profile, comment or text chunk.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def store(encoded):
    """Saves under a random name in the uploads folder; returns the URL readers will use."""
    name = f"{settings.MARKDOWNX_MEDIA_PATH}{secrets.token_hex(16)}.{encoded.extension}"
    name = default_storage.save(name, ContentFile(encoded.content))
    return default_storage.url(name)


@require_safe
def serve(request, name):
    """An uploaded image, for anyone; 404 for anything that is not one."""
    match = SERVED_NAME.fullmatch(name)
    if match is None:
        raise Http404("No such image.")
    path = Path(settings.MEDIA_ROOT) / settings.MARKDOWNX_MEDIA_PATH / name
    if not path.is_file():
        raise Http404("No such image.")
    response = FileResponse(path.open("rb"), content_type=SERVED_TYPES[match[1].lower()])
    response["X-Content-Type-Options"] = "nosniff"
    # Names are random and never reused, so a copy never goes stale.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
