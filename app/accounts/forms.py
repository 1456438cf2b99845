"""Forms of registration, sign-in, the profile and passwords, and the Chinese base form they
share."""

from __future__ import annotations

import math
import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    PasswordField,
    RadioField,
    StringField,
    SubmitField,
)
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.accounts.services import PASSWORD_MIN, password_problem
from app.forms import MOBILE_PATTERN

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms

    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


MOBILE_RE = re.compile(MOBILE_PATTERN)

# WTForms' own messages in the words this portal uses; the rest come from its zh catalogue.
MESSAGES = {
    "This field is required.": "此项为必填项。",
    "Not a valid integer value.": "请输入整数。",
    "Not a valid float value.": "请输入数字。",
    "Not a valid decimal value.": "请输入数字。",
    "Not a valid date value.": "请输入有效日期（年-月-日）。",
    "Not a valid choice.": "请选择有效的选项。",
    "Invalid Choice: could not coerce.": "请选择有效的选项。",
    "Invalid email address.": "邮箱格式不正确。",
}


def choices(pairs, blank: str | None = None) -> list:
    """Select choices from (value, label) pairs, optionally after a blank "please choose"."""
    items = [SelectChoice(value, label) for value, label in pairs]
    return [SelectChoice("", blank), *items] if blank is not None else items


class _ChineseTranslations:
    def __init__(self) -> None:
        self._zh = get_translations(["zh"])

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string) or self._zh.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._zh.ngettext(singular, plural, n)


TRANSLATIONS = _ChineseTranslations()


class ChineseForm(FlaskForm):
    """A FlaskForm whose built-in messages are Chinese."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class NumberField(FloatField):
    """A float field that reads a blank as None and refuses NaN and infinity."""

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError("请输入数字。")


def strong_password(_form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def mobile_number(_form, field) -> None:
    if field.data and not MOBILE_RE.match(field.data.strip()):
        raise ValidationError("请输入 11 位手机号码。")


class LoginForm(ChineseForm):
    email = StringField(
        "邮箱", validators=[DataRequired("请输入邮箱。"), Length(max=120, message="邮箱过长。")]
    )
    password = PasswordField("密码", validators=[DataRequired("请输入密码。")])
    remember = BooleanField("记住我")
    submit = SubmitField("登录")


def _name_field() -> StringField:
    return StringField(
        "姓名",
        validators=[DataRequired("请输入姓名。"), Length(max=40, message="姓名不超过 40 个字。")],
    )


def _company_field() -> StringField:
    return StringField(
        "公司", validators=[Optional(), Length(max=80, message="公司名称不超过 80 个字。")]
    )


def _require_mobile_for_agent(role: str | None, mobile: str | None) -> None:
    if role == "agent" and not (mobile or "").strip():
        raise ValidationError("经纪人请填写手机号码，方便租户联系。")


class ProfileForm(ChineseForm):
    """The profile an agent shows to tenants: name, company and mobile."""

    name = _name_field()
    company = _company_field()
    mobile = StringField("手机", validators=[mobile_number])
    submit = SubmitField("保存")

    def __init__(self, *args, role: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._role = role

    def validate_mobile(self, field) -> None:
        _require_mobile_for_agent(self._role, field.data)


class RegisterForm(ChineseForm):
    email = StringField(
        "邮箱",
        validators=[
            DataRequired("请输入邮箱。"),
            Email("邮箱格式不正确。"),
            Length(max=120, message="邮箱过长。"),
        ],
    )
    password = PasswordField(
        "密码",
        description=f"至少 {PASSWORD_MIN} 位，须同时包含字母和数字。",
        validators=[DataRequired("请输入密码。"), strong_password],
    )
    confirm = PasswordField(
        "确认密码",
        validators=[
            DataRequired("请再次输入密码。"),
            EqualTo("password", "两次输入的密码不一致。"),
        ],
    )
    role = RadioField(
        "我是",
        choices=[
            SelectChoice("tenant", "租户（找写字楼）"),
            SelectChoice("agent", "经纪人（发布房源）"),
        ],
        default="tenant",
        validators=[DataRequired("请选择身份。")],
    )
    name = _name_field()
    company = _company_field()
    mobile = StringField("手机", description="经纪人必填", validators=[mobile_number])
    submit = SubmitField("注册")

    def validate_mobile(self, field) -> None:
        _require_mobile_for_agent(self.role.data, field.data)


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password checked as registration checks it, and typed twice."""
    return (
        PasswordField(
            "新密码",
            description=f"至少 {PASSWORD_MIN} 位，须同时包含字母和数字。",
            validators=[DataRequired("请输入新密码。"), strong_password],
        ),
        PasswordField(
            "确认新密码",
            validators=[
                DataRequired("请再次输入新密码。"),
                EqualTo("password", "两次输入的密码不一致。"),
            ],
        ),
    )


class ResetRequestForm(ChineseForm):
    """The address a password reset link is sent to."""

    email = StringField(
        "注册邮箱",
        validators=[
            DataRequired("请输入邮箱。"),
            Email("邮箱格式不正确。"),
            Length(max=120, message="邮箱过长。"),
        ],
    )
    submit = SubmitField("发送重置链接")


class ResetPasswordForm(ChineseForm):
    """A new password set through an emailed link; the link's token rides along hidden."""

    token = HiddenField(validators=[DataRequired("链接无效，请重新申请。"), Length(max=500)])
    password, confirm = _new_password_fields()
    submit = SubmitField("设置新密码")


class ChangePasswordForm(ChineseForm):
    """A signed-in user's new password, after the current one."""

    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    password, confirm = _new_password_fields()
    submit = SubmitField("修改密码")
