"""The form of an agent's public profile (/agent/profile)."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.accounts.forms import ChineseForm
from app.agent.forms import PHOTO_TYPES
from app.agent.photos import WRONG_TYPE
from app.agent.profiles import INTRO_MAX, SERVICE_TOWNS_MAX, ProfileInput
from app.forms import MOBILE_PATTERN


def _town_id(value) -> int | None:
    """A posted town id; anything else becomes None, which no choice equals."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


class ProfileForm(ChineseForm):
    """姓名, 经纪公司, 手机, 照片, 服务镇街 and 个人简介; the towns are set by the view."""

    name = StringField(
        "姓名",
        validators=[
            DataRequired(message="请填写姓名。"),
            Length(max=20, message="姓名最多 20 个字。"),
        ],
    )
    company = StringField(
        "经纪公司",
        validators=[Optional(), Length(max=40, message="经纪公司最多 40 个字。")],
    )
    mobile = StringField(
        "手机号码",
        validators=[
            DataRequired(message="请填写手机号码。"),
            Regexp(MOBILE_PATTERN, message="请输入 11 位中国大陆手机号码，如 13812345678。"),
        ],
    )
    photo = FileField(
        "照片",
        description="可选；JPEG、PNG 或 WebP，将裁成合适大小",
        validators=[FileAllowed(PHOTO_TYPES, WRONG_TYPE)],
    )
    remove_photo = BooleanField("删除现有照片")
    towns = SelectMultipleField("服务镇街", coerce=_town_id, validate_choice=False)
    intro = TextAreaField(
        "个人简介",
        description=f"纯文本，最多 {INTRO_MAX} 字",
        validators=[Length(max=INTRO_MAX, message=f"个人简介最多 {INTRO_MAX} 字。")],
    )
    submit = SubmitField("保存资料")

    def validate_towns(self, field) -> None:
        allowed = {value for value, _label in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError("请从列表中选择服务镇街。")
        if len(field.data or []) > SERVICE_TOWNS_MAX:
            raise ValidationError(f"服务镇街最多选 {SERVICE_TOWNS_MAX} 个。")

    def to_input(self) -> ProfileInput:
        return ProfileInput(
            name=self.name.data.strip(),
            company=(self.company.data or "").strip(),
            mobile=self.mobile.data.strip(),
            intro=(self.intro.data or "").strip(),
            town_ids=list(self.towns.data or []),
            remove_photo=bool(self.remove_photo.data),
        )
