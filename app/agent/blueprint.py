"""The agents' blueprint with every route of the area on it.

The routes live in several view modules, each adding its own to `app.agent.views.bp` when it is
imported; importing them here, once, is what puts them all on the blueprint the factory registers.
"""

from app.agent import (  # noqa: F401  (each adds its routes to bp)
    building_views,
    csv_import_views,
    photo_views,
    profile_views,
    unit_views,
)
from app.agent.views import bp

__all__ = ["bp"]
