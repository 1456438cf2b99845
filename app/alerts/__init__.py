"""Saved searches (订阅此搜索): the conditions they keep, the units that match them at commit time,
the hits they report by email and Atom feed (docs/alerts.md)."""
