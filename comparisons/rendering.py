"""
Markdown to safe HTML.

`render_markdown` is the one function that turns an article's Markdown into HTML: models call
it on save (readers never pay for rendering) and the markdownx live preview calls it too
(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION), so the preview shows exactly what readers get.
Markdown passes raw HTML through, so the output is sanitised with nh3 against an allowlist.
"""

import math
import re
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
