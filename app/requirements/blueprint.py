"""The 求租 blueprint with every route of the area on it: the tenants' pages
(app.requirements.views, which makes the blueprint) and the agents' (agent_views)."""

from app.requirements import agent_views  # noqa: F401  (adds its routes to bp)
from app.requirements.views import bp

__all__ = ["bp"]
