"""
Markdown to safe HTML.

`render_markdown` is the one function that turns an article's Markdown into HTML: models call
it on save (readers never pay for rendering) and the markdownx live preview calls it too
(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION), so the preview shows exactly what readers get.
Markdown passes raw HTML through, so the output is sanitised with nh3 against an allowlist.
`headings` reads the stored HTML back for an article's table of contents, without rendering.
"""

import html
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "toc"]
MARKDOWN_EXTENSION_CONFIGS = {"toc": {"permalink": False}}

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = HEADINGS | {
    "p", "br", "hr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "em", "b", "i", "del", "ins", "sup", "sub", "abbr", "kbd", "mark",
    "code", "pre", "a", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    **{heading: {"id"} for heading in HEADINGS},
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

WORDS_PER_MINUTE = 200
WORD = re.compile(r"\w+")

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    clean_content_tags={"script", "style"},
    link_rel="noopener noreferrer",
)


def render_markdown(text):
    """Render Markdown to HTML that is safe to show to any reader."""
    # A Markdown instance keeps state between calls (toc ids, footnotes): one per call.
    converter = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_EXTENSION_CONFIGS
    )
    return _cleaner.clean(converter.convert(text or ""))


def sanitise_html(text):
    """HTML typed by an editor (the About and Contact pages), cut down to the same allowlist."""
    return _cleaner.clean(text or "")


# The stored, sanitised HTML has headings exactly as Markdown's toc extension wrote them.
HEADING = re.compile(r'<h([23]) id="([^"<>]+)">(.*?)</h\1>', re.S)
TAGS = re.compile(r"<[^>]+>")


@dataclass
class Heading:
    id: str
    text: str
    children: list = field(default_factory=list)


def headings(body_html):
    """
    The sections of rendered HTML for a table of contents: each `<h2>` with its `<h3>`s.
    A regular expression over stored HTML, so it costs microseconds, never a Markdown render.
    """
    sections = []
    for level, anchor, inner in HEADING.findall(body_html or ""):
        text = " ".join(html.unescape(TAGS.sub("", inner)).split())
        if not text:
            continue
        heading = Heading(html.unescape(anchor), text)
        if level == "2" or not sections:
            sections.append(heading)
        else:
            sections[-1].children.append(heading)
    return sections


def reading_minutes(*texts):
    """Minutes an average reader needs for the given texts; never less than one."""
    words = sum(len(WORD.findall(text or "")) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attributes = dict(attrs)
            self.found.append((attributes.get("src") or "", attributes.get("alt") or ""))


def images_without_alt(text):
    """The addresses of the images in this Markdown that have no description (alt text)."""
    parser = _Images()
    parser.feed(render_markdown(text))
    parser.close()
    return [src for src, alt in parser.found if not alt.strip()]
