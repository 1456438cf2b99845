"""Forms of the agents' area: buildings, units, photos, the CSV import and inquiries."""

from __future__ import annotations

from datetime import date

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.accounts.forms import ChineseForm, NumberField, choices
from app.agent.photos import WRONG_TYPE
from app.agent.services import MAX_ANSWER, BuildingInput, UnitInput
from app.config import MAX_AREA_M2
from app.forms import WholeNumberField
from app.models.accounts import INQUIRY_STATUS_LABELS
from app.models.listings import DEALS, DECORATIONS, GRADES, UNIT_STATUS_LABELS

# Pins outside this box are mistakes (a slip of the finger), not buildings of the region.
REGION = {"lat": (28.5, 31.5), "lon": (118.5, 122.5)}
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
AREA_OUT_OF_RANGE = f"面积须大于 0 且不超过 {MAX_AREA_M2} ㎡。"


# The first choice of the town and park selects, and the value of "none".
AUTOMATIC = "按位置自动识别"
NONE = "none"
NO_TOWN = "不指定镇街（地名库中没有该镇街）"
NO_PARK = "不属于任何园区"
INVALID = object()
MAX_ID = 2**31 - 1  # an id beyond the database's integers is no choice, not a 500


def _choice(value: str | None):
    """None for automatic or none, an id for a chosen place, INVALID for anything else."""
    if not value or value == NONE:
        return None
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return INVALID


def _fixed_value(fixed: bool, place_id: int | None) -> str:
    if not fixed:
        return ""
    return str(place_id) if place_id is not None else NONE


def year_now() -> int:
    return date.today().year


class BuildingForm(ChineseForm):
    name = StringField(
        "楼盘名称",
        validators=[DataRequired("请输入楼盘名称。"), Length(max=100, message="不超过 100 个字。")],
    )
    address = StringField(
        "地址",
        description="写明镇街或园区，如：诸暨市次坞镇次坞大道 88 号",
        validators=[DataRequired("请输入地址。"), Length(max=200, message="不超过 200 个字。")],
    )
    grade = SelectField(
        "等级",
        choices=choices(((g, g) for g in GRADES), "请选择"),
        validators=[DataRequired("请选择等级。")],
    )
    floors = WholeNumberField(
        "总楼层（层）",
        validators=[Optional(), NumberRange(1, 200, "楼层须在 1 到 200 之间。")],
    )
    year_built = WholeNumberField("建成年份", validators=[Optional()])
    property_fee = NumberField(
        "物业费（元/㎡/月）",
        validators=[Optional(), NumberRange(0, 100, "物业费须在 0 到 100 元/㎡/月之间。")],
    )
    efficiency_pct = NumberField(
        "得房率（%）",
        validators=[Optional(), NumberRange(1, 100, "得房率须在 1%% 到 100%% 之间。")],
    )
    description = TextAreaField(
        "介绍",
        render_kw={"rows": 5},
        validators=[Optional(), Length(max=5000, message="介绍不超过 5000 个字。")],
    )
    # Choices are the plausible ones for the building's point (the view fills them); any id is
    # accepted here and checked against the point being saved (app.agent.services).
    # Named apart from Building.town and .park, which the edit form's obj would fill them with.
    town_choice = SelectField(
        "镇街",
        choices=choices((), AUTOMATIC),
        validate_choice=False,
        description="可选该位置所在区县的镇街；移动图钉后仍在该区县内时保留所选。",
    )
    park_choice = SelectField(
        "所属园区",
        choices=choices((), AUTOMATIC),
        validate_choice=False,
        description="园区范围内或附近的园区；也可选“不属于任何园区”。",
    )
    lat = NumberField("纬度", validators=[Optional()])
    lon = NumberField("经度", validators=[Optional()])
    pin = HiddenField()
    submit = SubmitField("保存")

    def validate_year_built(self, field) -> None:
        if field.data is not None and not 1950 <= field.data <= year_now():
            raise ValidationError(f"建成年份须在 1950 到 {year_now()} 之间。")

    def validate_lat(self, field) -> None:
        low, high = REGION["lat"]
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError("图钉位置不在绍兴、杭州一带，请重新点选。")

    def validate_lon(self, field) -> None:
        low, high = REGION["lon"]
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError("图钉位置不在绍兴、杭州一带，请重新点选。")

    def validate_town_choice(self, field) -> None:
        if _choice(field.data) is INVALID:
            raise ValidationError("请从列表中选择镇街。")

    def validate_park_choice(self, field) -> None:
        if _choice(field.data) is INVALID:
            raise ValidationError("请从列表中选择园区。")

    def set_place_choices(self, towns, parks, building=None) -> None:
        """Offer the towns and parks plausible for the point, and what the building has now."""
        town_items = [(str(t.id), t.name) for t in towns]
        park_items = [(str(p.id), p.name) for p in parks]
        if building is not None and building.town_fixed:
            current = building.town
            if current is None:
                town_items.append((NONE, NO_TOWN))
            elif str(current.id) not in dict(town_items):
                town_items.insert(0, (str(current.id), current.name))
        current_park = building.park if building is not None and building.park_fixed else None
        if current_park is not None and str(current_park.id) not in dict(park_items):
            park_items.insert(0, (str(current_park.id), current_park.name))
        park_items.append((NONE, NO_PARK))
        self.town_choice.choices = choices(town_items, AUTOMATIC)
        self.park_choice.choices = choices(park_items, AUTOMATIC)

    def show_choices_of(self, building) -> None:
        """Select what the building holds: its fixed town and park, or automatic."""
        self.town_choice.data = _fixed_value(building.town_fixed, building.town_id)
        self.park_choice.data = _fixed_value(building.park_fixed, building.park_id)

    def to_input(self) -> BuildingInput:
        pinned = self.pin.data == "1" and self.lat.data is not None and self.lon.data is not None
        return BuildingInput(
            name=self.name.data.strip(),
            address=self.address.data.strip(),
            grade=self.grade.data,
            floors=self.floors.data,
            year_built=self.year_built.data,
            property_fee=self.property_fee.data,
            efficiency_pct=self.efficiency_pct.data,
            description=(self.description.data or "").strip(),
            pin=(self.lat.data, self.lon.data) if pinned else None,
            town_id=_choice(self.town_choice.data),
            town_fixed=bool(self.town_choice.data),
            park_id=_choice(self.park_choice.data),
            park_fixed=bool(self.park_choice.data),
        )


class UnitForm(ChineseForm):
    deal = SelectField(
        "类型",
        choices=choices(DEALS.items(), "请选择"),
        validators=[DataRequired("请选择出租或出售。")],
    )
    floor = WholeNumberField(
        "所在楼层", validators=[Optional(), NumberRange(-5, 200, "楼层须在 -5 到 200 之间。")]
    )
    area_m2 = NumberField(
        "面积（㎡）",
        validators=[
            InputRequired("请输入面积。"),
            NumberRange(0, MAX_AREA_M2, AREA_OUT_OF_RANGE),
        ],
    )
    rent_per_m2_day = NumberField("租金（元/㎡/天）")
    price_per_m2 = NumberField("售价（元/㎡）")
    decoration = SelectField(
        "装修",
        choices=choices(((d, d) for d in DECORATIONS), "请选择"),
        validators=[DataRequired("请选择装修情况。")],
    )
    status = SelectField("状态", choices=choices(UNIT_STATUS_LABELS.items()), default="available")
    available_from = DateField(
        "可入驻日期", validators=[Optional()], render_kw={"placeholder": "年-月-日"}
    )
    submit = SubmitField("保存")

    def __init__(self, *args, building_floors: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._building_floors = building_floors

    def validate_area_m2(self, field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError(AREA_OUT_OF_RANGE)

    def validate_floor(self, field) -> None:
        if field.data is not None and self._building_floors and field.data > self._building_floors:
            raise ValidationError(f"楼层不能高于楼盘总楼层（{self._building_floors} 层）。")

    def validate_rent_per_m2_day(self, field) -> None:
        if self.deal.data != "rent":
            return
        if field.data is None:
            raise ValidationError("出租房源请填写租金。")
        if not 0.1 <= field.data <= 50:
            raise ValidationError("租金须在 0.1 到 50 元/㎡/天之间。")

    def validate_price_per_m2(self, field) -> None:
        if self.deal.data != "sale":
            return
        if field.data is None:
            raise ValidationError("出售房源请填写售价。")
        if not 100 <= field.data <= 1_000_000:
            raise ValidationError("售价须在 100 到 1000000 元/㎡之间。")

    def validate_status(self, field) -> None:
        if field.data == "leased" and self.deal.data == "sale":
            raise ValidationError("出售房源不能标为已租出。")
        if field.data == "sold" and self.deal.data == "rent":
            raise ValidationError("出租房源不能标为已售出。")

    def to_input(self) -> UnitInput:
        return UnitInput(
            deal=self.deal.data,
            floor=self.floor.data,
            area_m2=self.area_m2.data,
            rent_per_m2_day=self.rent_per_m2_day.data,
            price_per_m2=self.price_per_m2.data,
            decoration=self.decoration.data,
            status=self.status.data,
            available_from=self.available_from.data,
        )


class PhotoForm(ChineseForm):
    photo = FileField(
        "照片",
        description="JPEG、PNG 或 WebP",
        validators=[
            FileRequired("请选择照片文件。"),
            FileAllowed(PHOTO_TYPES, WRONG_TYPE),
        ],
    )
    submit = SubmitField("上传")


class ImportForm(ChineseForm):
    file = FileField(
        "CSV 文件",
        description="UTF-8 或 GBK 编码，每行一个房源",
        validators=[FileRequired("请选择 CSV 文件。"), FileAllowed(["csv"], "请上传 .csv 文件。")],
    )
    submit = SubmitField("导入")


class InquiryAnswerForm(ChineseForm):
    """The agent's answer to an inquiry, emailed to a tenant who sent it signed in."""

    answer = TextAreaField(
        "回复内容",
        validators=[
            DataRequired(message="请填写回复内容。"),
            Length(max=MAX_ANSWER, message=f"回复最多 {MAX_ANSWER} 个字。"),
        ],
    )
    next = HiddenField(validators=[Optional(), Length(max=300)])


class InquiryStatusForm(ChineseForm):
    """One step of an inquiry along 新留言 → 已联系 → 已带看 → 已成交, or to 无效."""

    status = SelectField(
        "状态",
        choices=choices(INQUIRY_STATUS_LABELS.items()),
        validate_choice=True,
    )
    next = HiddenField(validators=[Optional(), Length(max=300)])
