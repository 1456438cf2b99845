"""The demo's landmarks and stations, on top of the reference gazetteer (app.places).

Demo data, the project's own writing; coordinates approximate.

Cities, county-level units and towns are reference data now: app/places/data/gazetteer.json,
loaded by `flask --app wsgi places load` and first by `demo load`. PLACES still lists them all
(the gazetteer's records, then the demo's own places), for the callers that load the demo's
places by hand.

Points are WGS-84 (lat, lon), approximate placements made for the demo, each inside its
district's boundary. Keys: slug, name, kind ("landmark" | "station"), parent (slug), aliases,
lat, lon, precision.
"""

from app.places.gazetteer import records

DEMO_PLACES = [
    # -------------------------------------------------------------- landmarks
    {
        "slug": "qingfangcheng",
        "name": "中国轻纺城",
        "kind": "landmark",
        "parent": "keqiao-jiedao",
        "aliases": ["轻纺城", "柯桥轻纺城"],
        "lat": 30.0900,
        "lon": 120.4900,
        "precision": "approximate",
    },
    {
        "slug": "xishi-guli",
        "name": "西施故里",
        "kind": "landmark",
        "parent": "jiyang",
        "aliases": ["西施故里景区"],
        "lat": 29.7080,
        "lon": 120.2430,
        "precision": "approximate",
    },
    {
        "slug": "baitahu",
        "name": "白塔湖",
        "kind": "landmark",
        "parent": "shanxiahu",
        "aliases": ["白塔湖湿地", "白塔湖国家湿地公园"],
        "lat": 29.8750,
        "lon": 120.3200,
        "precision": "approximate",
    },
    # --------------------------------------------------------------- stations
    {
        "slug": "zhuji-station",
        "name": "诸暨站",
        "kind": "station",
        "parent": "jiyang",
        "aliases": ["诸暨高铁站", "诸暨火车站"],
        "lat": 29.7040,
        "lon": 120.2580,
        "precision": "approximate",
    },
    {
        "slug": "shaoxing-north-station",
        "name": "绍兴北站",
        "kind": "station",
        "parent": "keqiao",
        "aliases": ["绍兴北高铁站"],
        "lat": 30.0680,
        "lon": 120.5150,
        "precision": "approximate",
    },
    {
        "slug": "shaoxing-station",
        "name": "绍兴站",
        "kind": "station",
        "parent": "yuecheng",
        "aliases": ["绍兴火车站"],
        "lat": 30.0150,
        "lon": 120.5750,
        "precision": "approximate",
    },
    {
        "slug": "hangzhou-south-station",
        "name": "杭州南站",
        "kind": "station",
        "parent": "xiaoshan",
        "aliases": ["杭州南高铁站"],
        "lat": 30.1720,
        "lon": 120.2900,
        "precision": "approximate",
    },
    {
        "slug": "jiangling-road-station",
        "name": "江陵路站",
        "kind": "station",
        "parent": "xixing",
        "aliases": ["江陵路地铁站"],
        "lat": 30.2150,
        "lon": 120.2100,
        "precision": "approximate",
    },
]

PLACES = [*records(), *DEMO_PLACES]
