"""Helpers every area's tests share: signing a user in, making one, reading the seed page."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Article, User
from tests.factories import PASSWORD

# The news page the importer is tried on, kept outside the repository in ../shared/seeds/.
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_33251f2a9cb5ef10.txt"


def sign_in(client, user: User) -> None:
    """Sign a user in the way Flask-Login remembers them, without the form: under the user's
    current session version, as app.accounts.decorators.sign_in does."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version or 0}"
        session["_fresh"] = True


def make_user(role: str, email: str | None = None) -> User:
    """A committed user in `role` whose password is `PASSWORD`."""
    user = User(email=email or f"{role}@test.example", name=f"测试{role}", role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def imported(key_prefix: str = "page:") -> list[Article]:
    """The articles `flask news import` stored, by their import key's prefix."""
    query = select(Article).where(Article.import_key.startswith(key_prefix))
    return list(db.session.scalars(query))
