"""Article HTML cleaned with nh3: text structure survives, scripts, styles and handlers do not."""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def _own_images_only(element: str, attribute: str, value: str) -> str | None:
    """An image's source is a path of this site (an upload): an image from another host tells
    that host who reads the article (a tracking pixel). The CSP refuses them too."""
    if element == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def clean_html(html: str) -> str:
    """Return HTML that is safe to render inside a page."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs: a blank line separates them, a single newline breaks one."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in b.splitlines()) + "</p>"
        for b in blocks
        if b
    )
