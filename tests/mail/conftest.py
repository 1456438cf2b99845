"""Templates of a `notice` kind of email, for the tests of the mail machinery alone."""

from __future__ import annotations

import pytest
from jinja2 import ChoiceLoader, DictLoader

NOTICE = {
    "email/notice.txt": '{% extends "email/base.txt" %}{% block body %}{{ name }}，您好：\n'
    "{{ line }}{% endblock %}",
    "email/notice.html": '{% extends "email/base.html" %}{% block body %}<p>{{ name }}，您好：</p>'
    "<p>{{ line }}</p>{% endblock %}",
}


@pytest.fixture
def notice(app):
    """Give the app the `notice` templates."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(NOTICE), app.jinja_env.loader])
    app.jinja_env.cache = {}
