"""The forms of 求租: the tenant's requirement, the agent's answer, and closing."""

from __future__ import annotations

import re
from datetime import date

from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.config import MAX_AREA_M2
from app.forms import (
    NumberField,
    PostForm,
    SelectField,
    StringField,
    choices,
    contact_name_field,
    mobile_field,
)
from app.models.listings import GRADES
from app.requirements.answers import MESSAGE_MAX
from app.requirements.services import (
    BUDGET_UNITS,
    NOTE_MAX,
    PLACES_MAX,
    RequirementInput,
    move_in_months,
)

MAX_ID = 2**31 - 1
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# A budget beyond these is a slip of the finger: the search's own rent bound, and a monthly
# total that no office of the region asks.
BUDGET_MAX = {"day": 100.0, "month": 10_000_000.0}


def _id(value) -> int | None:
    """A posted id; anything else becomes None, which no choice equals."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else None


def _area_bound(_form, field) -> None:
    if field.data is not None and not 1 <= field.data <= MAX_AREA_M2:
        raise ValidationError(f"面积应在 1 到 {MAX_AREA_M2} ㎡ 之间。")


def _ids() -> SelectMultipleField:
    return SelectMultipleField(coerce=_id, validate_choice=False)


class RequirementForm(PostForm):
    """求租: places (towns, districts, parks), area, budget, grade, move-in month and the
    tenant's contact; the places' choices are set by the view from the gazetteer."""

    places = _ids()
    parks = _ids()
    # No Optional(): a blank maximum still runs validate_area_max, which wants one bound.
    area_min = NumberField("最小面积（㎡）", validators=[_area_bound])
    area_max = NumberField("最大面积（㎡）", validators=[_area_bound])
    budget_unit = RadioField(
        "预算单位", choices=choices(BUDGET_UNITS.items()), default="day", validate_choice=False
    )
    budget_min = NumberField("最低预算", validators=[Optional()])
    budget_max = NumberField("最高预算", validators=[Optional()])
    grade = SelectField("写字楼等级", choices=choices([("", "不限"), *GRADES]), default="")
    move_in = StringField("计划入驻月份", validators=[Optional()])
    name = contact_name_field()
    mobile = mobile_field()
    email = StringField(
        "邮箱",
        description="经纪人的回复会发到这个邮箱",
        validators=[
            DataRequired(message="请填写邮箱。"),
            Length(max=120, message="邮箱最多 120 个字符。"),
            Email(message="邮箱格式不正确。"),
        ],
    )
    note = TextAreaField(
        "补充说明",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"补充说明最多 {NOTE_MAX} 个字。")],
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def offer(self, place_ids: list[int], park_ids: list[int]) -> RequirementForm:
        """The towns and districts, and the parks, a tenant may choose among."""
        self.places.choices = [(i, "") for i in place_ids]
        self.parks.choices = [(i, "") for i in park_ids]
        return self

    def validate_places(self, field) -> None:
        allowed = {value for value, _label in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError("请从列表中选择镇街或区县。")
        if len(set(field.data or [])) + len(set(self.parks.data or [])) > PLACES_MAX:
            raise ValidationError(f"区域和园区合计最多选 {PLACES_MAX} 个。")

    def validate_parks(self, field) -> None:
        allowed = {value for value, _label in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError("请从列表中选择园区。")

    def validate_area_max(self, field) -> None:
        low = self.area_min
        if low.errors or field.errors:
            return
        if low.data is None and field.data is None:
            raise ValidationError("请填写面积范围（至少填写一项）。")
        if low.data is not None and field.data is not None and field.data < low.data:
            raise ValidationError("最大面积不能小于最小面积。")

    def validate_budget_unit(self, field) -> None:
        if field.data not in BUDGET_UNITS:
            raise ValidationError("请选择预算单位。")

    def _check_budget(self, field) -> None:
        unit = self.budget_unit.data if self.budget_unit.data in BUDGET_UNITS else "day"
        high = BUDGET_MAX[unit]
        if field.data is not None and not 0 < field.data <= high:
            raise ValidationError(f"预算应大于 0 且不超过 {high:,.0f} {BUDGET_UNITS[unit]}。")

    def validate_budget_min(self, field) -> None:
        self._check_budget(field)

    def validate_budget_max(self, field) -> None:
        self._check_budget(field)
        low = self.budget_min
        both = low.data is not None and field.data is not None and not low.errors
        if both and field.data < low.data:
            raise ValidationError("最高预算不能低于最低预算。")

    def validate_grade(self, field) -> None:
        if field.data not in ("", *GRADES):
            raise ValidationError("请选择有效的等级。")

    def validate_move_in(self, field) -> None:
        text = (field.data or "").strip()
        match = MONTH.match(text)
        month = None
        if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 1:
            month = date(int(match.group(1)), int(match.group(2)), 1)
        if month is None:
            raise ValidationError("请选择入驻月份（年-月），如 2027-03。")
        first, last = move_in_months(self.today)
        if month < first:
            raise ValidationError("入驻月份不能早于本月。")
        if month > last:
            raise ValidationError(f"入驻月份请选在 {last.year}年{last.month}月 之前。")

    def move_in_date(self) -> date | None:
        match = MONTH.match((self.move_in.data or "").strip())
        return date(int(match.group(1)), int(match.group(2)), 1) if match else None

    def to_input(self) -> RequirementInput:
        return RequirementInput(
            name=self.name.data.strip(),
            mobile=self.mobile.data.strip(),
            email=self.email.data.strip(),
            note=(self.note.data or "").strip(),
            place_ids=list(dict.fromkeys(self.places.data or [])),
            park_ids=list(dict.fromkeys(self.parks.data or [])),
            area_min=self.area_min.data,
            area_max=self.area_max.data,
            budget_min=self.budget_min.data,
            budget_max=self.budget_max.data,
            budget_unit=self.budget_unit.data,
            grade=self.grade.data or None,
            move_in=self.move_in_date(),
        )

    def focus_first_error(self) -> None:
        """Put the cursor in the first field with an error, so that the page opens at it."""
        for field in self:
            if field.errors and field.name not in ("csrf_token", "places", "parks"):
                field.render_kw = {**(field.render_kw or {}), "autofocus": True}
                return


class AnswerForm(PostForm):
    """An agent's answer: units among the matching ones (the view checks them) and a message."""

    units = _ids()
    message = TextAreaField(
        "给租户的留言",
        validators=[
            DataRequired(message="请填写给租户的留言。"),
            Length(max=MESSAGE_MAX, message=f"留言最多 {MESSAGE_MAX} 个字。"),
        ],
    )

    def validate_units(self, field) -> None:
        if None in (field.data or []):
            raise ValidationError("所选房源不属于您或不符合该求租，请重新选择。")
        if not field.data:
            raise ValidationError("请至少选择一套符合需求的房源。")


class CloseForm(PostForm):
    """关闭求租: the CSRF token, and where to go back to."""

    next = StringField(validators=[Optional(), Length(max=200)])
