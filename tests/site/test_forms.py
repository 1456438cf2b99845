"""The app's widgets write what WTForms' own would, attribute for attribute."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import widgets

from app import forms
from app.listings.forms import SearchForm

TRICKY = ['a"b', "<script>&", Markup('<b title="x">'), 3.5, 0, "次坞 临杭"]


@pytest.mark.parametrize("value", TRICKY)
def test_html_params_match_wtforms(value):
    kwargs = {"class_": value, "data_some_thing": value, "required": True, "disabled": False}
    kwargs["aria_label"] = value
    assert forms.html_params(**kwargs) == widgets.html_params(**kwargs)
    assert forms.html_params(value=value, id="x") == widgets.html_params(value=value, id="x")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": 'x"<y>&', "district": "诸暨市", "sort": "newest", "grade": "甲级"},
        {"rent_min": "abc", "rent_max": "2.5", "area_min": "-1", "page": "²", "deal": "rent"},
        {"decoration": "精装", "near": "30.1,120.5", "radius_km": "3", "sort": "bogus"},
    ],
)
def test_search_form_fields_render_as_wtforms_would(app, query):
    with app.test_request_context():
        form = SearchForm(MultiDict(query))
        form.validate()
        for field in form:
            stock = {
                forms.TextInput: widgets.TextInput(),
                forms.Select: widgets.Select(),
            }.get(type(field.widget))
            if isinstance(field.widget, forms.NumberInput):
                stock = widgets.NumberInput(step=field.widget.step)
            assert stock is not None, f"{field.name} renders with {type(field.widget)}"
            kwargs = {"class_": "form-control", "placeholder": 'e"g', "form": "search-form"}
            kwargs["inputmode"] = False
            assert field.widget(field, **kwargs) == stock(field, **kwargs)
