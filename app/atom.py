"""Atom feeds (RFC 4287) as ElementTree builds them: the news feed and each saved search's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"


def utc(moment: datetime) -> str:
    """RFC 3339 for a naive UTC time."""
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An Atom element `tag` under `parent`, with its text and attributes."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element
