"""The data model: places, parks, listings, people and news."""

from app.models.accounts import (
    AgentTown,
    Favorite,
    Inquiry,
    InquiryStatus,
    OutboundEmail,
    Report,
    Role,
    User,
)
from app.models.alerts import (
    AlertFrequency,
    HitKind,
    Requirement,
    RequirementAnswer,
    RequirementAnswerUnit,
    RequirementPlace,
    RequirementStatus,
    SavedSearch,
    SearchHit,
)
from app.models.imports import ImportJob, ImportStatus
from app.models.listings import Building, BuildingStatus, Photo, Unit, UnitStatus
from app.models.market import MarketBin, MarketFigures, MarketMonth, UnitEvent, UnitEventKind
from app.models.news import Article, ArticlePlace
from app.models.places import Park, Place, PlaceKind
from app.models.stamps import ChangeStamp

__all__ = [
    "AlertFrequency",
    "HitKind",
    "ImportJob",
    "ImportStatus",
    "MarketBin",
    "MarketFigures",
    "MarketMonth",
    "UnitEvent",
    "UnitEventKind",
    "Requirement",
    "RequirementAnswer",
    "RequirementAnswerUnit",
    "RequirementPlace",
    "RequirementStatus",
    "SavedSearch",
    "SearchHit",
    "AgentTown",
    "Article",
    "ArticlePlace",
    "Building",
    "BuildingStatus",
    "ChangeStamp",
    "Favorite",
    "Inquiry",
    "InquiryStatus",
    "OutboundEmail",
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
