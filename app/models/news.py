"""News articles and the places they mention."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps


class Article(Timestamps, db.Model):
    __tablename__ = "article"
    __table_args__ = (
        Index("ix_article_category_published", "category", "published_at"),
        # The newest published articles in order, without reading an article (their bodies are
        # long): a building's related news walks it (app.listings.details.newest_about).
        Index("ix_article_status_published", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identifies the article across re-imports: a source URL, or a hash of title and date.
    import_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(80), default="")  # 来源
    source_url: Mapped[str | None] = mapped_column(String(300))
    published_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # 日期待核: the page named no date, so published_at was taken from elsewhere (app.news.importer)
    # and an editor should confirm it.
    date_unverified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    summary: Mapped[str] = mapped_column(Text, default="")  # 导读
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    editor: Mapped[str] = mapped_column(String(40), default="")  # 编辑
    original_title: Mapped[str] = mapped_column(String(300), default="")  # 原标题
    keywords: Mapped[str] = mapped_column(String(200), default="")  # 关键字, comma-separated
    status: Mapped[str] = mapped_column(String(12), default="published", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    places: Mapped[list[ArticlePlace]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    def __repr__(self) -> str:
        return f"<Article {self.title[:20]}>"


class ArticlePlace(db.Model):
    """A place an article mentions, as found by the place linker."""

    __tablename__ = "article_place"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    place_id: Mapped[int] = mapped_column(
        ForeignKey("place.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    first_offset: Mapped[int] = mapped_column(Integer, default=0)

    article: Mapped[Article] = relationship(back_populates="places")
    # A link is made with its place_id alone (app.news.linker); its place loads from that id even
    # before the link is flushed.
    place = relationship("Place", load_on_pending=True)
