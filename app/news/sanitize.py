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


def clean_html(html: str) -> str:
    """Return HTML that is safe to render inside a page."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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
