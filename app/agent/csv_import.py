"""Bulk import of buildings and units from CSV, one row per unit, each row wholly in or out.

Columns (the header row names them, in English or in Chinese; order does not matter):

=================  ============  =========================================================
column             中文列名       meaning
=================  ============  =========================================================
building_name      楼盘名称       required; rows with the same name and address share a building
address            地址           required; geocoded to a point (the town or park it names)
grade              等级           甲级 / 乙级 / 丙级 (required for a new building)
floors             总楼层         1–200
year_built         建成年份       1950–this year
property_fee       物业费         元/㎡/月, 0–100
efficiency_pct     得房率         %, 1–100
description        介绍           free text
lat, lon           纬度, 经度     optional WGS-84 point; when both are given they win (a pin)
deal               类型           rent / sale (or 出租 / 出售), required
floor              楼层           the unit's floor, -5–200
area_m2            面积           ㎡, > 0 and ≤ 100000, required
rent_per_m2_day    租金           元/㎡/天, 0.1–50, required for rent
price_per_m2       售价           元/㎡, required for sale
decoration         装修           毛坯 / 简装 / 精装 / 豪装, required
status             状态           available / reserved / leased / sold (or 可租售 / 已预订 /
                                  已租出 / 已售出); default available
available_from     可入驻日期     YYYY-MM-DD
=================  ============  =========================================================

The building columns are read from the first row of each building; later rows of the same
building only add units. New buildings are drafts of the importing agent. Files are UTF-8 (with
or without BOM) or GBK, as Excel in China saves them.

A row whose address names a town (镇, 乡 or 街道) the gazetteer does not know is imported without
a town, never given a neighbouring one, and the row report says so; a row placed in no known
district is reported the same way. Such rows count as 需核对, not as errors.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict

from app.agent.forms import BuildingForm, UnitForm
from app.agent.services import BUILDING_FIELDS, AgentError, save_building, save_unit
from app.extensions import db
from app.geo.geocode import GazetteerGeocoder, Geocoder, GeocodeResult
from app.models import Building, Place, PlaceKind, User
from app.models.listings import DEALS, UNIT_STATUS_LABELS
from app.testing_hooks import pause_point

MAX_ROWS = 10_000
COLUMNS = {
    "building_name": "楼盘名称",
    "address": "地址",
    "grade": "等级",
    "floors": "总楼层",
    "year_built": "建成年份",
    "property_fee": "物业费",
    "efficiency_pct": "得房率",
    "description": "介绍",
    "lat": "纬度",
    "lon": "经度",
    "deal": "类型",
    "floor": "楼层",
    "area_m2": "面积",
    "rent_per_m2_day": "租金",
    "price_per_m2": "售价",
    "decoration": "装修",
    "status": "状态",
    "available_from": "可入驻日期",
}
REQUIRED = ("building_name", "address", "deal", "area_m2")
_BY_HEADER = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}
_DEAL_VALUES = {label: key for key, label in DEALS.items()}
_STATUS_VALUES = {label: key for key, label in UNIT_STATUS_LABELS.items()}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is Chinese."""


@dataclass
class RowError:
    row: int  # the line in the file; the header is line 1
    messages: list[str]

    def __str__(self) -> str:
        return f"第 {self.row} 行：" + "；".join(self.messages)


@dataclass
class ImportResult:
    rows: int = 0
    units: int = 0
    buildings: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # imported, but to be checked

    @property
    def summary(self) -> str:
        checks = f"需核对 {len(self.notes)} 行。" if self.notes else ""
        return (
            f"共 {self.rows} 行：导入房源 {self.units} 个，新建楼盘 {self.buildings} 个，"
            f"出错 {len(self.errors)} 行。{checks}"
        )


# A town named in an address: the words before 街道, 镇 or 乡, right after the city and district.
_TOWN_WORD = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:街道|镇|乡)")
_PROVINCE = re.compile(r"^浙江省?")
# Where an address names a town the gazetteer lacks, its geocoded point is no nearer than the
# district's centre, which says nothing of a park either.
_COARSE = ("district", "city")


class TownCheck:
    """Which town an address names that the gazetteer does not know (read once per import)."""

    def __init__(self) -> None:
        kinds = [str(PlaceKind.CITY), str(PlaceKind.DISTRICT), str(PlaceKind.TOWN)]
        places = db.session.scalars(select(Place).where(Place.kind.in_(kinds)))
        self.areas: list[str] = []
        self.towns: list[str] = []
        for place in places:
            names = [n for n in place.names if n]
            (self.towns if place.kind == PlaceKind.TOWN else self.areas).extend(names)
        self.areas.sort(key=len, reverse=True)

    def unknown_town(self, address: str) -> str | None:
        """The town the address names after its city and district, when no known town starts
        there and the words end in 街道, 镇 or 乡; None when it names a known town or none."""
        rest = _PROVINCE.sub("", re.sub(r"\s+", "", address or ""))
        stripped = True
        while stripped:  # 绍兴市诸暨市…, 诸暨…: drop the known city and district names
            stripped = False
            for name in self.areas:
                if rest.startswith(name):
                    rest, stripped = rest[len(name) :], True
                    break
        if any(rest.startswith(name) for name in self.towns):
            return None
        found = _TOWN_WORD.match(rest)
        return found.group() if found else None


class _CachingGeocoder:
    """Geocode each distinct address once per import."""

    def __init__(self, inner: Geocoder):
        self.inner = inner
        self.cache: dict[str, GeocodeResult | None] = {}

    def geocode(self, address: str) -> GeocodeResult | None:
        if address not in self.cache:
            self.cache[address] = self.inner.geocode(address)
        return self.cache[address]


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。")


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """Parse CSV text into (line number, {column: value}) with the headers normalised."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ImportFileError("文件为空。") from exc
    keys = [
        _BY_HEADER.get(h.strip().lstrip("\ufeff").lower(), _BY_HEADER.get(h.strip()))
        for h in header
    ]
    missing = [f"{COLUMNS[c]}（{c}）" for c in REQUIRED if c not in keys]
    if missing:
        raise ImportFileError("缺少必需的列：" + "、".join(missing))
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row = {k: v.strip() for k, v in zip(keys, values, strict=False) if k}
            rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行。")
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误（第 {reader.line_num} 行）。") from exc
    return rows


def _form_messages(form) -> list[str]:
    return [f"{form[name].label.text}：{m}" for name, ms in form.errors.items() for m in ms]


def _building_form(row: dict[str, str]) -> BuildingForm:
    data = {k: row.get(k, "") for k in (*BUILDING_FIELDS, "lat", "lon") if k != "name"}
    data["name"] = row.get("building_name", "")
    data["pin"] = "1" if row.get("lat") and row.get("lon") else ""
    return BuildingForm(formdata=MultiDict(data), meta={"csrf": False})


def _unit_form(row: dict[str, str], floors: int | None) -> UnitForm:
    data = {
        k: row.get(k, "")
        for k in (
            "floor",
            "area_m2",
            "rent_per_m2_day",
            "price_per_m2",
            "decoration",
            "available_from",
        )
    }
    data["deal"] = _DEAL_VALUES.get(row.get("deal", ""), row.get("deal", "").lower())
    status = row.get("status", "") or "available"
    data["status"] = _STATUS_VALUES.get(status, status.lower())
    return UnitForm(formdata=MultiDict(data), meta={"csrf": False}, building_floors=floors)


def _find_building(owner: User, name: str, address: str) -> Building | None:
    query = select(Building).where(
        Building.owner_id == owner.id, Building.name == name, Building.address == address
    )
    return db.session.scalars(query.limit(1)).first()


def _new_building(
    owner: User, row: dict[str, str], geocoder: Geocoder, towns: TownCheck, notes: list[str]
) -> Building | list[str]:
    """Save a row's new building; its form's messages when the row is refused."""
    form = _building_form(row)
    if not form.validate():
        return _form_messages(form)
    data = form.to_input()
    unknown = towns.unknown_town(data.address)
    if unknown:
        data.town_fixed, data.town_id = True, None  # no town rather than another one
    building = save_building(owner, data, geocoder=geocoder, notes=notes)
    if unknown:
        if building.point_precision in _COARSE and not building.park_fixed:
            building.park, building.park_fixed = None, True
        notes.insert(0, f"地址中的镇街“{unknown}”不在地名库中：已导入，未指定镇街，请核对位置。")
    return building


def _import_row(
    owner: User, row: dict[str, str], geocoder: Geocoder, towns: TownCheck, notes: list[str]
) -> tuple[bool, list[str]]:
    """Add one row's unit (and its building when new); returns (new building?, errors) and
    adds to `notes` what the agent should check of a row that was imported."""
    name, address = row.get("building_name", ""), row.get("address", "")
    building = _find_building(owner, name, address) if name and address else None
    created = building is None
    if building is None:
        building = _new_building(owner, row, geocoder, towns, notes)
        if isinstance(building, list):
            return False, building
    unit_form = _unit_form(row, building.floors)
    if not unit_form.validate():
        return False, _form_messages(unit_form)
    save_unit(building, unit_form.to_input())
    return created, []


def import_rows(
    rows: list[tuple[int, dict[str, str]]],
    owner: User,
    *,
    geocoder: Geocoder | None = None,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> ImportResult:
    """Import each row inside its own SAVEPOINT; the caller commits."""
    geocoder = _CachingGeocoder(geocoder or GazetteerGeocoder())
    towns = TownCheck()
    result = ImportResult(rows=len(rows))
    for line, row in progress(rows):
        savepoint = db.session.begin_nested()
        notes: list[str] = []
        try:
            created, messages = _import_row(owner, row, geocoder, towns, notes)
        except AgentError as exc:
            created, messages = False, [str(exc)]
        except SQLAlchemyError:
            created, messages = False, ["保存失败，请检查该行数据。"]
        if messages:
            savepoint.rollback()
            result.errors.append(RowError(line, messages))
            continue
        pause_point("listings.import")  # crash tests only: a no-op unless XZL_CRASH_PAUSE_AT
        savepoint.commit()
        result.units += 1
        result.buildings += int(created)
        if notes:
            result.notes.append(RowError(line, notes))
    return result


def import_csv(data: bytes, owner: User, **options) -> ImportResult:
    """Decode, parse and import a CSV file's bytes."""
    return import_rows(read_rows(decode(data)), owner, **options)
