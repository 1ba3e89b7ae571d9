"""
Editor image uploads: what is stored (named and re-encoded from the detected format, without
metadata), what is refused before it costs anything, and how readers get the image back.
"""

import io
import json
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from .factories import make_user
from .test_production import PRODUCTION, manage

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"!\[\]\((/media/uploads/([0-9a-f]{32}\.(?:png|jpg)))\)")
SCRIPT = b"<script>alert(1)</script>"


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", superuser=True))
    return client


def jpeg_with_metadata(size=(20, 10), orientation=None):
    """A JPEG carrying a script in its comment and in its EXIF description."""
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()  # ImageDescription
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG", comment=SCRIPT, exif=exif)
    return buffer.getvalue()


def png_with_metadata(size=(20, 10)):
    """A PNG carrying a script in text chunks and in EXIF."""
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("Description", SCRIPT.decode(), zip=True)
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(buffer, "PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def huge_png(width, height):
    """A valid greyscale PNG of width × height black pixels; zeros compress ~1000:1."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    compressor = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte 0, then the pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(client, name, content, content_type):
    return client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def error_message(response):
    return " ".join(message for messages in response.json().values() for message in messages)


def stored(response, settings):
    """The URL the editor got back and the file it names."""
    assert response.status_code == 200, response.content
    match = STORED_NAME.fullmatch(response.json()["image_code"])
    assert match, response.json()
    url, name = match.groups()
    return url, settings.MEDIA_ROOT / "uploads" / name


def assert_no_metadata(path):
    content = path.read_bytes()
    assert b"script" not in content
    with Image.open(path) as image:
        assert not image.getexif()
        assert not {"comment", "exif", "Comment", "Description", "icc_profile"} & set(image.info)
        if image.format == "PNG":
            assert not image.text


# Naming and re-encoding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content_type",
    [("photo.html", "image/jpeg"), ("photo.svg", "image/jpeg"), ("photo", "image/jpeg")],
)
def test_a_jpeg_is_stored_as_jpg_whatever_its_name_says(
    editor_client, settings, name, content_type
):
    """A JPEG uploaded as photo.html is stored under a random .jpg name, its script gone."""
    url, path = stored(upload(editor_client, name, jpeg_with_metadata(), content_type), settings)
    assert url.endswith(".jpg") and path.exists()
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.size == (20, 10)
    assert_no_metadata(path)


def test_a_png_sent_as_jpeg_is_stored_as_png_without_text_chunks(editor_client, settings):
    """The detected format names the file, not the name or content type the browser sent."""
    url, path = stored(upload(editor_client, "x.jpg", png_with_metadata(), "image/jpeg"), settings)
    assert url.endswith(".png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.getpixel((0, 0)) == (0, 0, 255, 128), "transparency is kept"
    assert_no_metadata(path)


def test_a_rotated_photo_keeps_its_orientation_without_its_exif(editor_client, settings):
    """EXIF orientation is applied to the pixels before the EXIF is dropped."""
    content = jpeg_with_metadata(size=(40, 10), orientation=6)  # "rotate 90° clockwise"
    _, path = stored(upload(editor_client, "p.jpg", content, "image/jpeg"), settings)
    with Image.open(path) as image:
        assert image.size == (10, 40)
    assert_no_metadata(path)


def test_large_images_are_scaled_down_to_the_editor_size(editor_client, settings):
    """Images wider than MARKDOWNX_IMAGE_MAX_SIZE are scaled to fit, keeping proportions."""
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 100), "white").save(buffer, "PNG")
    _, path = stored(upload(editor_client, "w.png", buffer.getvalue(), "image/png"), settings)
    with Image.open(path) as image:
        assert image.size == (1600, 80)


def image_in_mode(fmt, mode):
    buffer = io.BytesIO()
    if mode == "P+transparency":  # palette entry 3 is transparent, entry 1 opaque green
        image = Image.new("P", (8, 8), 0)
        image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])
        image.putpixel((0, 0), 3)
        image.putpixel((1, 0), 1)
        image.save(buffer, fmt, transparency=3)
    else:
        Image.new(mode, (8, 8)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "fmt, mode",
    [
        *[("PNG", mode) for mode in ("1", "L", "LA", "P", "P+transparency", "RGB", "RGBA", "I;16")],
        *[("JPEG", mode) for mode in ("L", "RGB", "CMYK")],
    ],
)
def test_every_common_pixel_mode_is_accepted(editor_client, settings, fmt, mode):
    """Greyscale, palette, 16-bit and CMYK images are stored, in a mode their format writes."""
    content_type = f"image/{fmt.lower()}"
    _, path = stored(upload(editor_client, "m", image_in_mode(fmt, mode), content_type), settings)
    with Image.open(path) as image:
        assert image.format == fmt and image.size == (8, 8)
        image.load()
        if mode == "P+transparency":
            assert image.mode == "RGBA"
            assert image.getpixel((0, 0))[3] == 0 and image.getpixel((1, 0)) == (0, 255, 0, 255)


# Refused before decoding ----------------------------------------------------------------------


@pytest.fixture
def decoding(monkeypatch):
    """Records every image Pillow decodes."""
    decoded = []
    original = ImageFile.ImageFile.load

    def load(image):
        decoded.append(image.size)
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decoded


def test_an_image_over_the_pixel_cap_is_refused_with_its_size(editor_client, settings, decoding):
    """Over NICEPICK_UPLOAD_MAX_PIXELS: a 400 that names the cap; nothing decoded or stored."""
    settings.NICEPICK_UPLOAD_MAX_PIXELS = 3_000_000
    response = upload(editor_client, "big.png", huge_png(2000, 2000), "image/png")
    assert response.status_code == 400
    message = error_message(response)
    assert "2,000 × 2,000 pixels" in message and "4 megapixels" in message
    assert "at most 3 megapixels" in message
    assert decoding == []
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_a_400_megapixel_png_is_a_clear_400_not_a_500(editor_client, settings, decoding):
    """A decompression bomb (20,000 × 20,000, under 1 MB on the wire) is never decoded."""
    content = huge_png(20_000, 20_000)
    assert len(content) < settings.MARKDOWNX_UPLOAD_MAX_SIZE
    response = upload(editor_client, "bomb.png", content, "image/png")
    assert response.status_code == 400
    message = error_message(response)
    assert "megapixels" in message and "at most 25 megapixels" in message
    assert decoding == []
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_the_pixel_cap_defaults_to_25_megapixels(settings):
    assert settings.NICEPICK_UPLOAD_MAX_PIXELS == 25_000_000


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused_not_a_500(editor_client, settings, fmt):
    """A file whose header is fine but whose pixels are cut short is a 400 with a message."""
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(buffer, fmt)
    content = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    response = upload(editor_client, f"cut.{fmt.lower()}", content, f"image/{fmt.lower()}")
    assert response.status_code == 400
    assert "not a readable image" in error_message(response)
    assert not (settings.MEDIA_ROOT / "uploads").exists()


# Serving ------------------------------------------------------------------------------------


def test_an_uploaded_image_is_served_at_the_url_the_editor_got(editor_client, settings, client):
    """The image comes back as an image, cached for long, never sniffed as anything else."""
    url, path = stored(
        upload(editor_client, "photo.html", jpeg_with_metadata(), "image/jpeg"), settings
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    assert b"".join(response.streaming_content) == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "/media/uploads/0123456789abcdef0123456789abcdef.png",  # no such file
        "/media/uploads/page.html",
        "/media/uploads/page.html.png/",
        "/media/uploads/notes.txt",
        "/media/secret.png",
        "/media/uploads/../secret.png",
        "/media/uploads/..%2Fsecret.png",
        "/media/uploads/%2e%2e/secret.png",
        "/media/uploads/%2e%2e%2fsecret.png",
        "/media/uploads/sub/inner.png",
        "/media/uploads/",
        "/media/uploads/.png",
        "/media/uploads/%00.png",
    ],
)
def test_only_images_in_the_uploads_folder_are_served(client, settings, url):
    """Anything but an image file directly under MEDIA_ROOT/uploads answers 404."""
    uploads = settings.MEDIA_ROOT / "uploads"
    (uploads / "sub").mkdir(parents=True)
    (uploads / "page.html").write_text("<script>alert(1)</script>")
    (uploads / "notes.txt").write_text("private")
    (uploads / "sub" / "inner.png").write_bytes(huge_png(2, 2))
    (settings.MEDIA_ROOT / "secret.png").write_bytes(huge_png(2, 2))
    assert client.get(url).status_code == 404


PRODUCTION_UPLOAD = """
import json, io
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

buffer = io.BytesIO()
Image.new("RGB", (30, 20), "green").save(buffer, "PNG")
editor = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-tests-1")
client = Client(SERVER_NAME="nicepick.example")
client.force_login(editor)
answer = client.post(
    "/markdownx/upload/",
    {"image": SimpleUploadedFile("shot.html", buffer.getvalue(), content_type="image/png")},
    secure=True,
)
url = answer.json()["image_code"][4:-1]
reader = Client(SERVER_NAME="nicepick.example")
image = reader.get(url, secure=True)
print(json.dumps({
    "debug": __import__("django.conf").conf.settings.DEBUG,
    "upload": answer.status_code,
    "url": url,
    "status": image.status_code,
    "type": image.get("Content-Type"),
    "nosniff": image.get("X-Content-Type-Options"),
    "cache": image.get("Cache-Control"),
    "size": Image.open(io.BytesIO(b"".join(image.streaming_content))).size,
}))
"""


def test_uploads_are_served_with_production_settings(tmp_path):
    """With DJANGO_DEBUG=0 the URL the editor gets back serves the image to readers."""
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "NICEPICK_STATE_DIR": str(tmp_path / "state"),
    }
    migrated = manage("migrate", "--noinput", **env)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("shell", "--no-imports", "-c", PRODUCTION_UPLOAD, **env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["upload"] == 200 and seen["url"].endswith(".png")
    assert seen["status"] == 200 and seen["type"] == "image/png"
    assert seen["nosniff"] == "nosniff" and "immutable" in seen["cache"]
    assert seen["size"] == [30, 20]
    assert (tmp_path / "media" / "uploads" / seen["url"].rsplit("/", 1)[1]).exists()
