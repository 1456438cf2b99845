"""The OpenAPI 3.0 description of the JSON API, served at /api/openapi.json."""

from __future__ import annotations

from wtforms.validators import Length, NumberRange

from app.listings.forms import DEFAULT_RADIUS_KM, SORTS, SearchForm
from app.listings.search import API_MAP_LIMIT
from app.market.figures import FIELDS, MIN_UNITS
from app.models.listings import DECORATIONS, GRADES
from app.models.places import Place


def _check(name: str, kind: type):
    """The search form's validator of that kind on the field: the API states what it checks."""
    validators = getattr(SearchForm, name).kwargs["validators"]
    return next(v for v in validators if isinstance(v, kind))


def _text(name: str, description: str) -> dict:
    schema = {"type": "string", "maxLength": _check(name, Length).max, "description": description}
    return _query(name, schema)


def _number(name: str, description: str, kind: str = "number") -> dict:
    bounds = _check(name, NumberRange)
    schema = {
        "type": kind,
        "minimum": bounds.min,
        "maximum": bounds.max,
        "description": description,
    }
    return _query(name, schema)


def _query(name: str, schema: dict) -> dict:
    description = schema.pop("description")
    parameter = {"name": name, "in": "query", "required": False, "description": description}
    if schema["type"] in ("number", "integer"):
        parameter["allowEmptyValue"] = True  # an empty form field means "any"
    return {**parameter, "schema": schema}


def _values(pairs) -> list[str]:
    return [p[0] if isinstance(p, tuple) else p for p in pairs]


PARAMETERS = [
    _text("q", "关键词 keyword (name, address, description)"),
    _text("district", "区县 district name"),
    _text("town", "镇街 town or 街道 name"),
    _text("park", "园区 park name"),
    _query("deal", {"type": "string", "enum": ["", "rent", "sale"], "description": "出租 / 出售"}),
    _number("rent_min", "最低租金, 元/㎡/天"),
    _number("rent_max", "最高租金, 元/㎡/天 (not below rent_min)"),
    _number("area_min", "最小面积, ㎡"),
    _number("area_max", "最大面积, ㎡ (not below area_min)"),
    _query("grade", {"type": "string", "enum": ["", *_values(GRADES)], "description": "等级"}),
    _query(
        "decoration",
        {"type": "string", "enum": ["", *_values(DECORATIONS)], "description": "装修"},
    ),
    _text("near", "附近: a place name or 'lat,lon' (WGS-84)"),
    _number("radius_km", f"半径 around `near`, km (default {DEFAULT_RADIUS_KM:g})"),
    _query(
        "sort",
        {"type": "string", "enum": list(SORTS), "description": "排序; 'distance' needs `near`"},
    ),
    _number("page", "页码", kind="integer"),
    _query(
        "crs",
        {
            "type": "string",
            "enum": ["wgs84", "gcj02"],
            "default": "wgs84",
            "description": "coordinates of `features`: WGS-84, or GCJ-02 for Chinese tile layers",
        },
    ),
]
NUMBER_OR_NULL = {"type": "number", "nullable": True}
COUNT = {"type": "integer", "minimum": 0}
MARKET_PARAMETERS = [
    _query(
        "place",
        {
            "type": "string",
            "maxLength": Place.__table__.c.slug.type.length,
            "description": "a place's slug from `places`: adds its median rent month by month",
        },
    )
]
SCHEMAS = {
    "Feature": {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"type": "string", "enum": ["Point"]},
                    "coordinates": {
                        "type": "array",
                        "items": {"type": "number"},
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "[lon, lat]",
                    },
                },
            },
            "properties": {
                "type": "object",
                "required": ["id", "name", "url"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
    },
    "Result": {
        "type": "object",
        "required": ["id", "name", "town", "grade", "units"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "town": {"type": "string", "nullable": True},
            "grade": {"type": "string", "nullable": True},
            "min_rent": NUMBER_OR_NULL,
            "max_rent": NUMBER_OR_NULL,
            "area_min": NUMBER_OR_NULL,
            "area_max": NUMBER_OR_NULL,
            "units": {"type": "integer", "minimum": 0},
            "distance_km": NUMBER_OR_NULL,
        },
    },
    "FeatureCollection": {
        "type": "object",
        "required": ["type", "features", "total", "total_capped", "page", "pages", "results"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "total": {"type": "integer", "minimum": 0},
            "total_capped": {"type": "boolean", "description": "total counted up to a cap"},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
        },
    },
    "MarketFigures": {
        "type": "object",
        "description": "a place's market now; medians are null below "
        f"{MIN_UNITS} units (rents in 元/㎡/天, sale prices in 元/㎡)",
        "required": list(FIELDS),
        "properties": {
            "rental_units": COUNT,
            "rental_area": {"type": "number", "minimum": 0, "description": "㎡"},
            "rent_p25": NUMBER_OR_NULL,
            "rent_median": NUMBER_OR_NULL,
            "rent_p75": NUMBER_OR_NULL,
            "sale_units": COUNT,
            "sale_median": NUMBER_OR_NULL,
            "new_30d": COUNT,
            "let_30d": COUNT,
            "days_on_market": NUMBER_OR_NULL,
        },
    },
    "MarketPlace": {
        "type": "object",
        "required": ["slug", "name", "kind", "parent", "figures"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["city", "district", "town", "park"]},
            "parent": {"type": "string", "nullable": True, "description": "the parent's slug"},
            "figures": {"$ref": "#/components/schemas/MarketFigures"},
        },
    },
    "Market": {
        "type": "object",
        "required": ["places"],
        "properties": {
            "places": {"type": "array", "items": {"$ref": "#/components/schemas/MarketPlace"}},
            "place": {
                "type": "object",
                "description": "present with `place`",
                "required": ["slug", "name", "trend"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "trend": {
                        "type": "array",
                        "description": "oldest month first, this month last",
                        "items": {
                            "type": "object",
                            "required": ["month", "rent_median", "rental_units"],
                            "properties": {
                                "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                                "rent_median": NUMBER_OR_NULL,
                                "rental_units": COUNT,
                            },
                        },
                    },
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "what went wrong, in Chinese"},
            "errors": {
                "type": "object",
                "description": "messages by parameter name",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "status": {"type": "integer"},
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["q", "suggestions"],
        "properties": {
            "q": {"type": "string"},
            "suggestions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "kind_name", "name", "within", "url"],
                    "properties": {
                        "kind": {
                            "type": "string",
                            "enum": ["city", "district", "town", "park", "building"],
                        },
                        "kind_name": {"type": "string"},
                        "name": {"type": "string"},
                        "within": {"type": "string"},
                        "url": {"type": "string"},
                    },
                },
            },
        },
    },
}


def _json(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def description() -> dict:
    """The whole document."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "绍兴诸暨写字楼网 API",
            "version": "1",
            "description": "Office buildings for maps and other clients, as GeoJSON; the "
            "market's figures per place.",
        },
        "paths": {
            "/api/listings": {
                "get": {
                    "operationId": "listings",
                    "summary": "Buildings matching the /listings/ search, as a FeatureCollection",
                    "description": f"`features` holds every match (up to {API_MAP_LIMIT:,}) "
                    "for maps; `results` the requested page with its figures.",
                    "parameters": PARAMETERS,
                    "responses": {
                        "200": _json("FeatureCollection", "the matches"),
                        "400": _json(
                            "Error",
                            "a parameter is invalid, rent_max/area_max is below its minimum, "
                            "sort=distance lacks `near`, a place name matches no known place, "
                            "or the page is past the last",
                        ),
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Districts, towns, parks and buildings that what was typed begins",
                    "description": "By characters, full pinyin (zhuji) or initials (zj), best "
                    "first: a whole name, then a beginning, then a middle; a bigger place first.",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 50},
                        }
                    ],
                    "responses": {
                        "200": _json("Suggestions", "the suggestions, at most eight"),
                        "400": _json("Error", "q is longer than 50 characters"),
                    },
                }
            },
            "/api/market": {
                "get": {
                    "operationId": "market",
                    "summary": "Market figures of the city, every district, town and park",
                    "description": "The figures of /market/ and /market/export.csv; with "
                    "`place`, that place's median asking rent for each of the last 24 months.",
                    "parameters": MARKET_PARAMETERS,
                    "responses": {
                        "200": _json("Market", "every place with its figures"),
                        "400": _json("Error", "`place` names no place of `places`"),
                    },
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Say the app is up",
                    "responses": {
                        "200": {
                            "description": "up",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status"],
                                        "properties": {
                                            "status": {"type": "string", "enum": ["ok"]}
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
