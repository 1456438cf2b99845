"""The data model: places, parks, listings, people and news."""

from app.models.accounts import Favorite, Inquiry, Report, Role, User
from app.models.listings import Building, BuildingStatus, Photo, Unit, UnitStatus
from app.models.news import Article, ArticlePlace
from app.models.places import Park, Place, PlaceKind

__all__ = [
    "Article",
    "ArticlePlace",
    "Building",
    "BuildingStatus",
    "Favorite",
    "Inquiry",
    "Park",
    "Photo",
    "Place",
    "PlaceKind",
    "Report",
    "Role",
    "Unit",
    "UnitStatus",
    "User",
]
