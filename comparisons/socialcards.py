"""
Social cards: the 1200×630 PNG that a shared link to an article shows (OpenGraph `og:image`).

`refresh_card(comparison)` draws the card from the title, the two tools and the pick, and stores
it under MEDIA_ROOT/cards/ with a name that changes whenever what it shows changes, so it can be
cached for a year. It is called at the end of the save paths (the admin's `save_related`,
publishing in `workflow`, restoring a revision, `loaddemo`, `manage.py refreshcards`) and never
on a reader's request: pages only read the stored name (`Comparison.social_card`).

Drawn with Pillow in DejaVu Sans (Debian's fonts-dejavu-core) when it is installed, otherwise in
Liberation Sans or, failing both, Pillow's own bundled font: a card never fails for want of a font.
"""

import hashlib
import io
import json
import logging
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from . import invalidation
from .models import Comparison

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes: every card then gets a new name on the next refresh.
DESIGN_VERSION = 1

PAPER = "#0f2238"
INK = "#ffffff"
MUTED = "#b9c7d8"
BADGE = "#ffd24a"
BADGE_INK = "#161a1f"
ACCENT = "#4f9be8"

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
BOLD_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")
REGULAR_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")

MARGIN = 80


@cache
def font(size, bold=True):
    for directory in FONT_DIRS:
        for name in BOLD_FONTS if bold else REGULAR_FONTS:
            path = Path(directory) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def card_facts(comparison):
    """What the card shows; its name is derived from these, so it changes when they do."""
    verdict = getattr(comparison, "verdict", None)
    return {
        "title": comparison.title,
        "tool_a": comparison.tool_a.name,
        "tool_b": comparison.tool_b.name,
        "pick": verdict.picked_tool.name if verdict else "",
        "design": DESIGN_VERSION,
    }


def card_name(comparison, facts):
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:12]
    return f"cards/{comparison.slug}-{digest}.png"


def alt_text(comparison):
    """The card's description for readers who cannot see it (og:image:alt)."""
    verdict = getattr(comparison, "verdict", None)
    text = f"{comparison.title}: {comparison.tool_a.name} against {comparison.tool_b.name}"
    if verdict is not None:
        text += f". nicepick's pick: {verdict.picked_tool.name}"
    return text + "."


def refresh_card(comparison, force=False):
    """
    Draw the comparison's card if it is published (or scheduled) and what the card shows has
    changed (or `force`); return the stored name, or "" when it has none. A failure to write
    the file is logged and leaves the old card in place: a sharing image never blocks a save.

    The save paths pass what they have just saved, its tools and verdict with it: the card is
    drawn from that. An object without them is read again, with them.
    """
    if not has_card_data(comparison):
        comparison = (
            Comparison.objects.select_related("tool_a", "tool_b", "verdict")
            .filter(pk=comparison.pk)
            .first()
        )
    if (
        comparison is None
        or comparison.status != Comparison.Status.PUBLISHED
        or comparison.tool_a is None
        or comparison.tool_b is None
    ):
        return comparison.social_card.name if comparison else ""
    storage = comparison.social_card.storage
    facts = card_facts(comparison)
    name = card_name(comparison, facts)
    old = comparison.social_card.name
    if old == name and storage.exists(name) and not force:
        return name
    try:
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(draw_card(**facts)))
    except OSError:
        logger.exception("Could not store the social card of “%s”", comparison.title)
        return old
    Comparison.objects.filter(pk=comparison.pk).update(social_card=saved)
    comparison.social_card = saved  # a later save of this object keeps the new card
    invalidation.touch(invalidation.comparison(comparison.pk))  # pages now name the new image

    def after_commit():
        if old and old != saved:
            try:
                storage.delete(old)
            except OSError:
                logger.warning("Could not delete the old social card %s", old)

    transaction.on_commit(after_commit)
    return saved


def has_card_data(comparison):
    """Whether the comparison's tools and verdict are loaded with it (no query to draw it)."""
    tools = all(
        getattr(comparison, f"{side}_id") is None or descriptor.is_cached(comparison)
        for side, descriptor in (("tool_a", Comparison.tool_a), ("tool_b", Comparison.tool_b))
    )
    if not (tools and Comparison.verdict.is_cached(comparison)):
        return False
    verdict = getattr(comparison, "verdict", None)
    return verdict is None or verdict.pk is not None


def refresh_all(force=False):
    """Every published comparison's card, e.g. after a change of design. Returns how many."""
    count = 0
    for comparison in Comparison.objects.filter(status=Comparison.Status.PUBLISHED):
        if refresh_card(comparison, force=force):
            count += 1
    return count


# Drawing ---------------------------------------------------------------------------------------


def draw_card(title, tool_a, tool_b, pick, design=DESIGN_VERSION):
    """The card as PNG bytes: brand, title, the two tools and the pick with our badge."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw_stripe(draw)
    draw_brand(draw, MARGIN, 64)

    # A title that only names the two tools says it all; otherwise the pair follows it.
    says_pair = " ".join(title.lower().split()) == f"{tool_a} vs {tool_b}".lower()
    y = 200 if says_pair else 150
    size, lines = fit(
        title,
        font_sizes=(76, 68, 60, 54, 48),
        max_lines=3,
        width=WIDTH - 2 * MARGIN,
        height=None if says_pair else 260,
    )
    for line in lines:
        draw.text((MARGIN, y), line, font=font(size), fill=INK)
        y += int(size * 1.18)
    if not says_pair:
        draw_pair(draw, MARGIN, 420, tool_a, tool_b, pick)

    if pick:
        right = draw_badge(draw, MARGIN, 500, height=64)
        size, lines = fit(pick, font_sizes=(48, 40, 34), max_lines=1, width=WIDTH - right - 30)
        draw.text((right + 24, 532), lines[0], font=font(size), fill=INK, anchor="lm")
    return png(image)


def draw_site_card():
    """The site's default card (static/comparisons/social-card.png) for every other page."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw_stripe(draw)
    draw_brand(draw, MARGIN, 64)
    y = 190
    for line in ("Technology comparisons", "that end in a pick."):
        draw.text((MARGIN, y), line, font=font(72), fill=INK)
        y += 86
    draw.text(
        (MARGIN, y + 24),
        "The reasons in a table, and who should choose the other one.",
        font=font(34, bold=False),
        fill=MUTED,
    )
    draw_badge(draw, MARGIN, 500, height=64)
    return png(image)


def draw_pair(draw, x, y, tool_a, tool_b, pick):
    """“Flask vs Express”, the picked tool in white and the other muted."""
    for size in (40, 34, 28):
        parts = [
            (tool_a, font(size), INK if tool_a == pick else MUTED),
            ("  vs  ", font(size, bold=False), MUTED),
            (tool_b, font(size), INK if tool_b == pick else MUTED),
        ]
        if sum(draw.textlength(text, font=face) for text, face, _ in parts) <= WIDTH - x - MARGIN:
            break
    for text, face, colour in parts:
        draw.text((x, y), text, font=face, fill=colour)
        x += draw.textlength(text, font=face)


def draw_stripe(draw):
    """A band of the accent colour down the right-hand edge."""
    draw.rectangle((WIDTH - 24, 0, WIDTH, HEIGHT), fill=ACCENT)


def draw_mark(draw, x, y, size, fill, check):
    """Our mark: a diamond with a tick in it (the favicon's diamond, ticked)."""
    half = size / 2
    cx, cy = x + half, y + half
    draw.polygon([(cx, y), (x + size, cy), (cx, y + size), (x, cy)], fill=fill)
    unit = size / 24
    points = [(7.6, 12.3), (10.6, 15.3), (16.4, 9.1)]
    draw.line(
        [(x + px * unit, y + py * unit) for px, py in points],
        fill=check,
        width=max(2, round(2.6 * unit)),
        joint="curve",
    )


def draw_brand(draw, x, y):
    draw_mark(draw, x, y, 44, fill=ACCENT, check=PAPER)
    draw.text((x + 58, y + 22), "nicepick", font=font(40), fill=INK, anchor="lm")


def draw_badge(draw, x, y, height):
    """The “Nice pick” badge: a yellow pill with the mark; returns its right edge."""
    label = "NICE PICK"
    label_font = font(int(height * 0.42))
    mark = int(height * 0.56)
    pad = int(height * 0.3)
    text_width = draw.textlength(label, font=label_font)
    right = x + pad + mark + pad * 0.6 + text_width + pad
    draw.rounded_rectangle((x, y, right, y + height), radius=height // 2, fill=BADGE)
    draw_mark(draw, x + pad, y + (height - mark) / 2, mark, fill=BADGE_INK, check=BADGE)
    draw.text(
        (x + pad + mark + pad * 0.6, y + height / 2),
        label,
        font=label_font,
        fill=BADGE_INK,
        anchor="lm",
    )
    return right


def fit(text, font_sizes, max_lines, width, height=None, leading=1.18):
    """
    The largest size at which `text` wraps into `max_lines` (and `height`, if given); at the
    smallest size, the text cut short with an ellipsis otherwise.
    """
    for size in font_sizes:
        lines = wrap(text, font(size), width)
        if len(lines) <= max_lines and (height is None or len(lines) * size * leading <= height):
            return size, lines
    size = font_sizes[-1]
    if height is not None:
        max_lines = max(1, min(max_lines, int(height // (size * leading))))
    lines = wrap(text, font(size), width)[:max_lines]
    last = lines[-1]
    while last and font(size).getlength(last + "…") > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return size, lines


def wrap(text, face, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while face.getlength(line) > width and len(line) > 1:  # one word wider than the card
            cut = len(line)
            while cut > 1 and face.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines or [""]


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
