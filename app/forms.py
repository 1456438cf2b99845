"""Base form classes whose built-in messages speak Simplified Chinese."""

from __future__ import annotations

import math

import wtforms
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import FloatField, Form, IntegerField, SelectChoice, widgets
from wtforms.validators import StopValidation
from wtforms.widgets.core import clean_key

# A mainland mobile number. ASCII digits only: \d would also take full-width ones.
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"


class ChineseMeta:
    locales = ["zh"]


class PostForm(FlaskForm):
    """A form posted by a user: CSRF-protected, messages in Chinese."""

    class Meta(ChineseMeta):
        pass


class QueryForm(Form):
    """A form read from the query string (GET): no CSRF, messages in Chinese."""

    class Meta(ChineseMeta):
        pass


# -- widgets --------------------------------------------------------------------------------
# The search form is rendered afresh for every new question, and WTForms' html_params, which
# formats each attribute with MarkupSafe's str.format, is most of the cost of rendering it.
# These widgets write the same attributes in the same order with plain f-strings
# (tests/site/test_forms.py compares them with WTForms' own).


def html_params(**kwargs) -> Markup:
    """wtforms.widgets.html_params, faster: sorted attributes, True alone, False left out."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            quoted = str(escape(value)).replace('"', "&quot;")  # a Markup value keeps its quotes
            params.append(f'{escape(key)}="{quoted}"')
    return Markup(" ".join(params))


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_params)


class NumberInput(widgets.NumberInput):
    html_params = staticmethod(html_params)


class Select(widgets.Select):
    @classmethod
    def render_option(cls, choice, **kwargs) -> Markup:
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        label = escape(choice.label or choice.value)
        return Markup(f"<option {html_params(**options)}>{label}</option>")


class StringField(wtforms.StringField):
    widget = TextInput()


class SelectField(wtforms.SelectField):
    widget = Select()


# -- fields ---------------------------------------------------------------------------------


class NumberField(FloatField):
    """A decimal number typed by a person: plain message on bad input; NaN and infinity refused."""

    widget = NumberInput(step="any")

    def process_formdata(self, valuelist) -> None:
        if not valuelist or valuelist[0] in ("", None):
            return
        text = str(valuelist[0]).strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or len(text) > 20:
            self.data = None
            raise ValueError("请输入有效的数字。")
        self.data = value

    def pre_validate(self, form) -> None:
        # A value that did not parse has its message already; range checks would only add noise.
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(IntegerField):
    """An integer typed by a person; one too long to be real is refused up front (WTForms'
    NumberRange checks math.isnan, which overflows on an integer too large for a float)."""

    widget = NumberInput()

    MAX_DIGITS = 15

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return  # not sent: keep the object's value
        if not str(valuelist[0]).strip():
            self.data = None  # blank: Optional() or DataRequired() decides
            return
        if len(str(valuelist[0]).strip()) > self.MAX_DIGITS:
            self.data = None
            raise ValueError("请输入有效的整数。")
        super().process_formdata(valuelist)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, or from plain values."""
    return [
        SelectChoice(*pair) if isinstance(pair, tuple) else SelectChoice(pair, pair)
        for pair in pairs
    ]


def contact_name_field() -> StringField:
    """您的称呼: how a tenant signs an inquiry or a 求租, as the agent will address them."""
    return StringField(
        "您的称呼",
        validators=[
            wtforms.validators.DataRequired(message="请填写称呼。"),
            wtforms.validators.Length(max=20, message="称呼最多 20 个字。"),
        ],
    )


def mobile_field() -> StringField:
    """手机号码: a mainland mobile, the way agents call tenants back."""
    return StringField(
        "手机号码",
        validators=[
            wtforms.validators.DataRequired(message="请填写手机号码。"),
            wtforms.validators.Regexp(
                MOBILE_PATTERN, message="请输入 11 位中国大陆手机号码，如 13812345678。"
            ),
        ],
    )
