"""The search form: every parameter of /listings/ and /api/listings, validated."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.config import MAX_AREA_M2
from app.forms import (
    NumberField,
    PostForm,
    QueryForm,
    SelectField,
    StringField,
    WholeNumberField,
    choices,
    contact_name_field,
    mobile_field,
)
from app.models.listings import DECORATIONS, GRADES

SORTS = {
    "": "默认排序",
    "rent_asc": "租金从低到高",
    "rent_desc": "租金从高到低",
    "area_asc": "面积从小到大",
    "area_desc": "面积从大到小",
    "newest": "最新发布",
    "distance": "距离最近",
}
MAX_RADIUS_KM = 50.0
MAX_PAGE = 100_000
DEFAULT_RADIUS_KM = 5.0


def _number(label: str, low: float, high: float) -> NumberField:
    return NumberField(
        label,
        validators=[
            Optional(),
            NumberRange(low, high, message=f"{label}应在 {low:g} 到 {high:g} 之间。"),
        ],
    )


class SearchForm(QueryForm):
    q = StringField(
        "关键词", validators=[Optional(), Length(max=50, message="关键词最多 50 个字。")]
    )
    district = StringField("区县", validators=[Optional(), Length(max=30)])
    town = StringField("镇街", validators=[Optional(), Length(max=30)])
    park = StringField("园区", validators=[Optional(), Length(max=80)])
    deal = SelectField(
        "类型", choices=choices([("", "不限"), ("rent", "出租"), ("sale", "出售")]), default=""
    )
    rent_min = _number("最低租金", 0, 100)
    rent_max = _number("最高租金", 0, 100)
    area_min = _number("最小面积", 0, MAX_AREA_M2)
    area_max = _number("最大面积", 0, MAX_AREA_M2)
    grade = SelectField("等级", choices=choices([("", "不限"), *GRADES]), default="")
    decoration = SelectField("装修", choices=choices([("", "不限"), *DECORATIONS]), default="")
    near = StringField("附近", validators=[Optional(), Length(max=40)])
    radius_km = _number("半径", 0.1, MAX_RADIUS_KM)
    sort = SelectField("排序", choices=choices(SORTS.items()), default="")
    page = WholeNumberField(
        "页码",
        validators=[Optional(), NumberRange(min=1, max=MAX_PAGE, message="页码必须是正整数。")],
    )

    def validate_rent_max(self, field) -> None:
        self._check_range(self.rent_min, field, "最高租金不能低于最低租金。")

    def validate_area_max(self, field) -> None:
        self._check_range(self.area_min, field, "最大面积不能小于最小面积。")

    def validate_sort(self, field) -> None:
        if field.data == "distance" and not self.near.data:
            raise ValidationError("按距离排序需要先填写“附近”的地点。")

    @staticmethod
    def _check_range(low, high, message: str) -> None:
        both = low.data is not None and high.data is not None and not low.errors
        if both and high.data < low.data:
            raise ValidationError(message)


ANY_UNIT = ("", "整栋 / 不限")


class InquiryForm(PostForm):
    """留言 / 预约看房: what a tenant sends to a building's agent, about the building or one of
    its available units."""

    unit = SelectField("咨询房源", choices=choices([ANY_UNIT]), default="", validate_choice=False)
    name = contact_name_field()
    mobile = mobile_field()
    message = TextAreaField(
        "留言内容",
        validators=[
            DataRequired(message="请填写留言内容。"),
            Length(max=500, message="留言最多 500 个字。"),
        ],
    )
    preferred_time = StringField(
        "希望看房时间",
        validators=[Optional(), Length(max=40, message="看房时间最多 40 个字。")],
    )

    def offer_units(self, units: list[tuple[int, str]]) -> InquiryForm:
        """Let the tenant choose among these (id, label) units, after 整栋 / 不限."""
        self.unit.choices = choices([ANY_UNIT, *((str(i), label) for i, label in units)])
        return self

    def validate_unit(self, field) -> None:
        # Only the units offered: another building's unit, a leased one or a made-up id is refused.
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError("所选房源不属于该楼盘或已不可租售，请重新选择。")

    @property
    def unit_id(self) -> int | None:
        return int(self.unit.data) if self.unit.data else None

    def focus_first_error(self) -> None:
        """Put the cursor in the first field with an error, so that the page opens at it."""
        for field in self:
            if field.errors and field.name != "csrf_token":
                field.render_kw = {**(field.render_kw or {}), "autofocus": True}
                return


REPORT_REASONS = [("leased", "已租出"), ("wrong", "信息有误")]


class ReportForm(PostForm):
    """A tenant's report that a listing is stale or wrong."""

    reason = SelectField("举报原因", choices=choices(REPORT_REASONS))
    note = TextAreaField("补充说明", validators=[Optional(), Length(max=300)])


class CompareForm(PostForm):
    """The small form behind every 加入对比 / 移除 button."""

    building_id = WholeNumberField(validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])
    action = SelectField(choices=choices([("add", "加入对比"), ("remove", "移除")]), default="add")
    next = StringField(validators=[Optional(), Length(max=300)])
