"""The accounts blueprint with every route of the area on it.

The routes live in several view modules, each adding its own to `app.accounts.views.bp` when it
is imported; importing them here, once, is what puts them all on the blueprint the factory
registers (as app.agent.blueprint does for the agents' area).
"""

from app.accounts import inquiry_views, password_views  # noqa: F401  (each adds its routes to bp)
from app.accounts.views import bp

__all__ = ["bp"]
