"""Building photos: check and re-encode uploads with Pillow, make thumbnails, order and remove."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from app.agent.services import can_manage
from app.extensions import db
from app.models import Building, Photo, User

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2000  # px, the longest side of a stored photo
THUMB_SIDE = 400  # px
MAX_PIXELS = 40_000_000  # refuse before decoding: more is a decompression bomb, not a photo
# A JPEG is decoded at a reduced scale (draft), so 40 MP costs about a quarter; PNG and WebP are
# decoded whole, four bytes a pixel: 16 MP is 64 MB, however small the file.
MAX_FULL_DECODE_PIXELS = 16_000_000
# One image at a time per worker process, from decoding to the saved files: eight large uploads
# at once wait for each other instead of holding eight images (a worker stays under 300 MB,
# tests/agents/test_photo_memory.py).
_IMAGE_WORK = threading.BoundedSemaphore(1)
MAX_PHOTOS = 20
FILENAME_RE = re.compile(r"^[0-9a-f]{32}(_thumb)?\.jpg$")

NOT_AN_IMAGE = "文件不是有效的图片，只能上传 JPEG、PNG 或 WebP 图片。"
WRONG_TYPE = "只能上传 JPEG、PNG 或 WebP 图片。"
TOO_MANY_PIXELS = "图片尺寸过大（像素过多），请缩小后再上传。"
TOO_MANY_PIXELS_LOSSLESS = "PNG 或 WebP 图片不能超过 1600 万像素，请缩小或另存为 JPEG 后再上传。"
BROKEN = "图片已损坏，无法读取。"


class PhotoError(ValueError):
    """The upload is refused; the message is Chinese and fit to show."""


@dataclass
class StoredImage:
    filename: str
    width: int
    height: int


def thumb_name(filename: str) -> str:
    return filename.replace(".jpg", "_thumb.jpg")


def is_media_name(filename: str) -> bool:
    return bool(FILENAME_RE.match(filename))


def _open_checked(data: bytes) -> Image.Image:
    """Open, identify and verify the image, refusing anything that is not a sane photo, then
    decode it no larger than a stored photo needs: a JPEG at a reduced scale, any image
    reduced to MAX_SIDE before it is converted."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise PhotoError(WRONG_TYPE)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PhotoError(TOO_MANY_PIXELS)
            if probe.format != "JPEG" and width * height > MAX_FULL_DECODE_PIXELS:
                raise PhotoError(TOO_MANY_PIXELS_LOSSLESS)
            probe.verify()
            image = Image.open(BytesIO(data))
            if image.format == "JPEG":
                image.draft(None, (MAX_SIDE, MAX_SIDE))  # the smallest scale still as large
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(TOO_MANY_PIXELS) from exc
        except UnidentifiedImageError as exc:
            raise PhotoError(NOT_AN_IMAGE) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            if isinstance(exc, PhotoError):
                raise
            raise PhotoError(BROKEN) from exc
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, then make plain RGB (transparency on white) that carries
    nothing but its pixels: Pillow copies `info` through a conversion and writes some of it back
    on save (a JPEG's comment segment, where cameras and apps put GPS text or a phone number)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    flat.info = {}
    return flat


def store_image(stream: BinaryIO, folder: str, max_bytes: int) -> StoredImage:
    """Check an upload and save it re-encoded (no EXIF, at most MAX_SIDE px) with a thumbnail."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise PhotoError("请选择照片文件。")
    if len(data) > max_bytes:
        raise PhotoError(f"照片不能超过 {max_bytes / 1024 / 1024:g} MB。")
    os.makedirs(folder, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.jpg"
    with _IMAGE_WORK:  # decoded, converted and encoded while no other upload of this worker is
        image = _flatten(_open_checked(data))
        # Saving without exif= drops the metadata (camera, GPS) of the original.
        image.save(os.path.join(folder, filename), "JPEG", quality=85, optimize=True)
        thumb = image.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumb.save(os.path.join(folder, thumb_name(filename)), "JPEG", quality=80, optimize=True)
    return StoredImage(filename, image.width, image.height)


def remove_files(folder: str, filename: str) -> None:
    for name in (filename, thumb_name(filename)):
        if is_media_name(name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(folder, name))


def add_photo(building: Building, stream: BinaryIO, folder: str, max_bytes: int) -> Photo:
    """Store an upload as the building's last photo."""
    if len(building.photos) >= MAX_PHOTOS:
        raise PhotoError(f"每个楼盘最多 {MAX_PHOTOS} 张照片。")
    stored = store_image(stream, folder, max_bytes)
    last = db.session.scalar(
        select(func.max(Photo.position)).where(Photo.building_id == building.id)
    )
    photo = Photo(
        building=building,
        filename=stored.filename,
        width=stored.width,
        height=stored.height,
        position=(last if last is not None else -1) + 1,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def move_photo(photo: Photo, direction: str) -> None:
    """Swap a photo with its neighbour ("up" = earlier, "down" = later)."""
    photos = sorted(photo.building.photos, key=lambda p: (p.position, p.id))
    for index, item in enumerate(photos):
        item.position = index
    i = photos.index(photo)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(photos):
        photos[i].position, photos[j].position = photos[j].position, photos[i].position


def delete_photo(photo: Photo) -> str:
    """Remove the row; return the filename so the caller deletes files after the commit."""
    filename = photo.filename
    photo.building.photos.remove(photo)
    db.session.delete(photo)
    return filename


def photo_for(user: User, photo_id: int) -> Photo | None:
    photo = db.session.get(Photo, photo_id)
    return photo if photo is not None and can_manage(user, photo.building) else None
