"""Tenant-facing listings: search, building pages, inquiries, favourites and comparison.

The blueprint is app.listings.views.bp; the factory registers it (app.create_app). Importing a
module of this package loads nothing else of it: the commit-time upkeep of the search index
(app.listings.upkeep, app.listings.fulltext) needs no view.
"""
