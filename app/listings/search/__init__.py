"""The listing search: filters, keyword, distance, ordering, paging and counts that stop early.

`plan` turns a search into a Plan (named conditions and a strategy, `Plan.describe()`);
`execute` runs it; `results.search` is what pages call; `suggestions` offers ways out of an
empty result; `explain` shows the database's plan of a query as the app sends it. How each
strategy is chosen, the index it relies on and the test that pins it: docs/search.md.
"""

from app.listings.search.execute import COUNT_CAP
from app.listings.search.planner import Count, Frequency, Page, Plan, Source, Strategy, plan
from app.listings.search.results import API_MAP_LIMIT, PAGE_MAP_LIMIT, SearchResult, search
from app.listings.search.suggestions import (
    SUGGESTION_CAP,
    Suggestion,
    count_for,
    nearby_towns,
    suggestions,
)

__all__ = [
    "API_MAP_LIMIT",
    "COUNT_CAP",
    "PAGE_MAP_LIMIT",
    "SUGGESTION_CAP",
    "Count",
    "Frequency",
    "Page",
    "Plan",
    "SearchResult",
    "Source",
    "Strategy",
    "Suggestion",
    "count_for",
    "nearby_towns",
    "plan",
    "search",
    "suggestions",
]
