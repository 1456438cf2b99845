"""The site's icon, drawn here: a blue tile with a white office tower, as the browser's tab icon
(favicon.ico, 16–48 px) and the phone's home-screen icon (apple-touch-icon.png, 180 px)."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

BLUE = (13, 110, 253)  # Bootstrap's primary, the colour of the site's bar
WHITE = (255, 255, 255)
SIZE = 180  # drawn once at the touch icon's size, scaled down for the tab


def _draw(rounded: bool) -> Image.Image:
    """The icon; square for phones, which round its corners themselves."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0) if rounded else BLUE)
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=36, fill=BLUE)
    # A tower of six storeys with two columns of windows, on a base line.
    left, top, right, bottom = 52, 30, 128, 150
    pen.rectangle((left, top, right, bottom), fill=WHITE)
    for storey in range(6):
        y = top + 12 + storey * 18
        for x in (left + 12, left + 44):
            pen.rectangle((x, y, x + 20, y + 10), fill=BLUE)
    pen.rectangle((34, bottom, SIZE - 34, bottom + 8), fill=WHITE)
    return image


@cache
def touch_icon_png() -> bytes:
    out = io.BytesIO()
    _draw(rounded=False).convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


@cache
def favicon_ico() -> bytes:
    out = io.BytesIO()
    _draw(rounded=True).save(out, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()
