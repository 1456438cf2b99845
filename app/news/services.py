"""Queries about news articles."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Article


def published():
    return select(Article).where(Article.status == "published")


def latest_articles(limit: int = 10) -> list[Article]:
    query = published().order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def get_article(article_id: int) -> Article | None:
    return db.session.scalar(published().where(Article.id == article_id))
