"""Photos: checked and re-encoded with Pillow, thumbnails, order, delete; the rest refused."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.agent import photos
from app.extensions import db
from app.models import Photo


def image_bytes(fmt: str = "JPEG", size=(3000, 1500), mode: str = "RGB", exif: bool = False):
    image = Image.new(mode, size, (200, 80, 40) if mode == "RGB" else None)
    out = BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x0112] = 6  # Orientation: rotate 90
        options["exif"] = data.tobytes()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(client, building, data: bytes, name: str = "photo.jpg"):
    return client.post(
        f"/agent/buildings/{building.id}/photos",
        data={"photo": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count_photos() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


@pytest.mark.parametrize(
    ("fmt", "mode", "name"),
    [("JPEG", "RGB", "a.jpg"), ("PNG", "RGBA", "b.png"), ("WEBP", "RGB", "c.webp")],
)
def test_upload_is_reencoded_capped_and_thumbnailed(app, as_owner, building, fmt, mode, name):
    response = upload(as_owner, building, image_bytes(fmt, mode=mode), name)
    assert response.status_code == 302
    photo = db.session.scalar(select(Photo))
    assert photos.is_media_name(photo.filename) and photo.filename != name
    assert (photo.width, photo.height) == (2000, 1000)
    folder = app.config["UPLOAD_FOLDER"]
    with Image.open(os.path.join(folder, photo.filename)) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 2000
    with Image.open(os.path.join(folder, photos.thumb_name(photo.filename))) as thumb:
        assert max(thumb.size) == 400
    served = app.test_client().get(f"/media/{photo.filename}")  # public: no sign-in
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    served.close()


def test_exif_is_stripped_after_applying_orientation(app, as_owner, building):
    upload(as_owner, building, image_bytes(size=(800, 400), exif=True))
    photo = db.session.scalar(select(Photo))
    with Image.open(os.path.join(app.config["UPLOAD_FOLDER"], photo.filename)) as stored:
        assert stored.size == (400, 800)  # turned upright
        assert not stored.getexif() and "exif" not in stored.info


def test_a_bomb_of_pixels_is_refused(as_owner, building):
    out = BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # tiny file, 144 megapixels
    response = upload(as_owner, building, out.getvalue(), "bomb.png")
    assert response.status_code == 422
    assert "图片尺寸过大" in response.get_data(as_text=True)
    assert count_photos() == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text, not a picture", "notes.jpg", "文件不是有效的图片"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif", "只能上传 JPEG、PNG 或 WebP 图片"),
        (None, "anim.jpg", "只能上传 JPEG、PNG 或 WebP 图片"),  # a real GIF renamed
        (image_bytes()[:200], "broken.jpg", "图片已损坏"),
        (b"", "empty.jpg", "请选择照片文件"),
    ],
)
def test_anything_but_a_photo_is_refused(app, as_owner, building, data, name, message):
    if data is None:
        out = BytesIO()
        Image.new("RGB", (10, 10)).save(out, "GIF")
        data = out.getvalue()
    response = upload(as_owner, building, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_photos() == 0
    assert (
        not os.listdir(app.config["UPLOAD_FOLDER"])
        if os.path.isdir(app.config["UPLOAD_FOLDER"])
        else True
    )


def test_too_big_a_file_is_refused(app, as_owner, building):
    app.config["PHOTO_MAX_BYTES"] = 10_000
    response = upload(as_owner, building, image_bytes(size=(1500, 1500)) + b"\x00" * 20_000)
    assert response.status_code == 422
    assert "照片不能超过" in response.get_data(as_text=True)


def test_request_over_the_upload_limit_gets_413_in_chinese(app, as_owner, building):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(as_owner, building, b"x" * 5000)
    assert response.status_code == 413
    assert "上传的内容过大" in response.get_data(as_text=True)


def test_no_file_is_refused(as_owner, building):
    response = as_owner.post(f"/agent/buildings/{building.id}/photos", data={})
    assert response.status_code == 422 and "请选择照片文件" in response.get_data(as_text=True)


def test_photos_are_ordered_and_deleted(app, as_owner, building):
    for _ in range(3):
        upload(as_owner, building, image_bytes(size=(300, 200)))
    first, second, third = building.photos
    assert [p.position for p in building.photos] == [0, 1, 2]
    as_owner.post(f"/agent/photos/{third.id}/move/up")
    db.session.expire_all()
    assert [p.id for p in building.photos] == [first.id, third.id, second.id]
    as_owner.post(f"/agent/photos/{first.id}/move/up")  # already first: nothing moves
    db.session.expire_all()
    assert building.photos[0].id == first.id
    as_owner.post(f"/agent/photos/{first.id}/move/down")
    db.session.expire_all()
    assert [p.id for p in building.photos] == [third.id, first.id, second.id]
    filename = second.filename
    assert as_owner.post(f"/agent/photos/{second.id}/delete").status_code == 302
    assert count_photos() == 2
    folder = app.config["UPLOAD_FOLDER"]
    assert not os.path.exists(os.path.join(folder, filename))
    assert not os.path.exists(os.path.join(folder, photos.thumb_name(filename)))
    assert as_owner.get(f"/media/{filename}").status_code == 404


@pytest.mark.parametrize(
    "name", ["../secret.txt", "..%2Fapp.py", "x.jpg", "%2e%2e", "a" * 32 + ".png"]
)
def test_media_route_serves_only_stored_names(client, name):
    assert client.get(f"/media/{name}").status_code == 404
