"""The forms of saved searches: subscribing to a search, renaming it and its frequency."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import DataRequired, Length, ValidationError

from app.alerts.conditions import NAME_MAX
from app.forms import PostForm, SelectField, StringField, choices
from app.models.alerts import FREQUENCY_LABELS

FREQUENCY_CHOICES = list(FREQUENCY_LABELS.items())


class _NameAndFrequency(PostForm):
    name = StringField(
        "订阅名称",
        validators=[
            DataRequired(message="请填写订阅名称。"),
            Length(max=NAME_MAX, message=f"订阅名称最多 {NAME_MAX} 个字。"),
        ],
    )
    # Checked below: WTForms' own message for a value outside the choices is English.
    frequency = SelectField(
        "提醒频率", choices=choices(FREQUENCY_CHOICES), default="daily", validate_choice=False
    )

    def validate_frequency(self, field) -> None:
        if field.data not in FREQUENCY_LABELS:
            raise ValidationError("请选择提醒频率：即时、每日或每周。")


class SubscribeForm(_NameAndFrequency):
    """订阅此搜索: the query string of the search, a name and how often to be told."""

    query = HiddenField(validators=[Length(max=2000, message="搜索条件过长。")])


class EditForm(_NameAndFrequency):
    """A saved search's name and frequency, changed on /searches/."""
