"""factory_boy factories for users, buildings, units, inquiries and reports."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Building, Inquiry, Report, Unit, User
from app.models.base import utcnow

PASSWORD = "secret-pass-1"
# Hashed once with a cheap method: factories make many users and the hash is not under test.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = "tenant"
    password_hash = PASSWORD_HASH
    active = True


class AgentFactory(UserFactory):
    role = "agent"
    name = factory.Sequence(lambda n: f"经纪人{n}")
    company = "诸暨置业"
    mobile = "13900000000"


class BuildingFactory(_Base):
    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"测试大厦{n}号")
    address = "诸暨市次坞镇次坞大道 1 号"
    lat = 29.95
    lon = 120.12
    point_source = "gazetteer"
    point_precision = "town"
    grade = "乙级"
    floors = 20
    year_built = 2015
    property_fee = 5.0
    efficiency_pct = 75.0
    description = "测试楼盘"
    status = "draft"
    owner = factory.SubFactory(AgentFactory)


class UnitFactory(_Base):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    deal = "rent"
    floor = 5
    area_m2 = 120.0
    rent_per_m2_day = 1.5
    decoration = "精装"
    status = "available"
    confirmed_at = factory.LazyFunction(utcnow)


class InquiryFactory(_Base):
    class Meta:
        model = Inquiry

    building = factory.SubFactory(BuildingFactory)
    name = "李先生"
    mobile = "13712345678"
    message = "想看一下 5 楼的房源"
    status = "new"


class ReportFactory(_Base):
    class Meta:
        model = Report

    building = factory.SubFactory(BuildingFactory)
    reason = "已租出"
    note = "电话说已经租掉了"
