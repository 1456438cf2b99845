"""What a page carries: its scripts, stylesheets and attributes, read with the standard parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Script:
    src: str | None
    nonce: str | None
    text: str = ""


@dataclass
class Page(HTMLParser):
    scripts: list[Script] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # on*= attributes, as tag.attribute
    script_urls: list[str] = field(default_factory=list)  # javascript: links

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._in_script: Script | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        values = dict(attrs)
        self.handlers += [f"{tag}.{name}" for name, _v in attrs if name.startswith("on")]
        self.script_urls += [
            f"{tag}.{name}"
            for name, value in attrs
            if name in ("href", "src", "action", "formaction")
            and (value or "").strip().lower().startswith("javascript:")
        ]
        if tag == "script":
            self._in_script = Script(values.get("src"), values.get("nonce"))
            self.scripts.append(self._in_script)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split():
            self.stylesheets.append(values.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script.text += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def is_local(url: str) -> bool:
    """A URL on this site: a path, not another host (//cdn…, https://…)."""
    return url.startswith("/") and not url.startswith("//")


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives
