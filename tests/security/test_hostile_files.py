"""Hostile uploads: random bytes as photos, random rows as CSV imports."""

from __future__ import annotations

import csv
import io
import os
import re
from io import BytesIO

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from app.agent.csv_import import COLUMNS
from app.extensions import db
from app.models import Building, Photo, Unit
from tests.security import hostile
from tests.security.forms import UNIT_FIELDS
from tests.security.test_authorization import snapshot


def _png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


photo_bytes = st.one_of(
    st.binary(max_size=2048),
    st.builds(_png, st.integers(1, 64), st.integers(1, 64)),
    st.builds(lambda b, n: _png(8, 8)[:n] + b, st.binary(max_size=64), st.integers(0, 80)),
    st.sampled_from([b"", b"GIF89a" + b"\0" * 20, b"<svg onload=alert(1)>", b"%PDF-1.4"]),
)
filenames = st.one_of(
    st.sampled_from(["a.png", "a.jpg", "a.webp", "a.gif", "a.svg", "a.png.exe", ".png"]),
    hostile.hostile_value.map(lambda s: s[:200] + ".png"),
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_hostile_photo_uploads(app, client, world):
    world.sign_in(client, "owner")
    folder = app.config["UPLOAD_FOLDER"]
    url = "/agent/buildings/{building}/photos".format(**world.ids)

    @hostile.RUN
    @given(photo_bytes, filenames)
    def check(data, filename):
        files, photos = sorted(os.listdir(folder)), _count(Photo)
        hostile.TRIED["upload photo"] += 1
        response = client.post(url, data={"photo": (BytesIO(data), filename)})
        db.session.expire_all()
        hostile.assert_safe(response, [filename])
        if response.status_code == 302:
            assert _count(Photo) == photos + 1 and len(os.listdir(folder)) == len(files) + 2
            db.session.delete(db.session.scalar(select(Photo).order_by(Photo.id.desc())))
            db.session.commit()
        else:  # 400: a malformed multipart body (a CR in the filename) or a NUL in a field
            assert response.status_code in (400, 422)
            assert (_count(Photo), sorted(os.listdir(folder))) == (photos, files)

    check()


# Under 500 kB a file: above it Werkzeug's test client spools the body to a file it never closes.
cells = st.one_of(
    hostile.hostile_value.map(lambda s: s[:20_000]),
    st.sampled_from(["甲级", "rent", "sale", "精装", "50"]),
)
rows = st.lists(st.fixed_dictionaries(dict.fromkeys(COLUMNS, cells)), min_size=1, max_size=4)
valid_rows = st.fixed_dictionaries(
    {
        "building_name": st.sampled_from(["导入大厦", "次坞中心"]),
        "address": st.just("诸暨市次坞镇 8 号"),
        "grade": st.just("乙级"),
        "lat": st.just("29.95"),
        "lon": st.just("120.12"),
        "deal": st.just("rent"),
        "area_m2": UNIT_FIELDS["area_m2"],
        "rent_per_m2_day": UNIT_FIELDS["rent_per_m2_day"],
        "decoration": UNIT_FIELDS["decoration"],
    }
)
SUMMARY = re.compile(r"导入房源 (\d+) 个，新建楼盘 (\d+) 个，出错 (\d+) 行")


def _csv(table: list[dict], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode("utf-8", "surrogatepass")


def test_hostile_csv_imports(client, world):
    world.sign_in(client, "owner")

    @hostile.RUN
    @given(st.lists(st.one_of(rows.map(lambda r: r[0]), valid_rows), min_size=1, max_size=5))
    def check(table):
        before = snapshot()
        units, buildings = _count(Unit), _count(Building)
        hostile.TRIED["csv import"] += 1
        data = _csv(table, list(COLUMNS))
        response = client.post(
            "/agent/import", data={"file": (BytesIO(data), "a.csv")}, follow_redirects=True
        )
        db.session.expire_all()
        hostile.assert_safe(response, [v for row in table for v in row.values()])
        page = response.get_data(as_text=True)
        found = SUMMARY.search(page)
        if found is None:  # the file as a whole was refused
            assert response.status_code == 422 and snapshot() == before
            return
        added_units, added_buildings, errors = map(int, found.groups())
        assert (_count(Unit), _count(Building)) == (
            units + added_units,
            buildings + added_buildings,
        )
        assert response.status_code == 200  # the import's own page

    check()
