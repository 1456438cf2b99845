"""A stored photo and its thumbnail carry nothing but pixels: no JPEG comment, EXIF, XMP, ICC
profile or PNG text, whatever the upload held."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from app.agent.photos import store_image, thumb_name

SECRET = "GPS 30.0821N 120.4947E 电话 13800138000"


def jpeg_with_everything() -> bytes:
    image = Image.new("RGB", (640, 480), (120, 160, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = BytesIO()
    image.save(
        out,
        "JPEG",
        comment=SECRET.encode(),
        exif=exif.tobytes(),
        icc_profile=b"\0" * 128,
        xmp=f"<x:xmpmeta>{SECRET}</x:xmpmeta>".encode(),
    )
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    out = BytesIO()
    Image.new("RGBA", (300, 200), (10, 20, 30, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.parametrize("upload", [jpeg_with_everything, png_with_text])
def test_stored_photo_and_thumbnail_hold_only_pixels(tmp_path, upload):
    data = upload()
    assert SECRET.encode() in data or SECRET in Image.open(BytesIO(data)).info.get("Comment", "")
    stored = store_image(BytesIO(data), str(tmp_path), 5 * 1024 * 1024)
    for name in (stored.filename, thumb_name(stored.filename)):
        raw = Path(tmp_path, name).read_bytes()
        assert b"GPS" not in raw and b"13800138000" not in raw and b"SecretCam" not in raw
        saved = Image.open(BytesIO(raw))
        assert not {"comment", "exif", "icc_profile", "xmp"} & set(saved.info), saved.info
