"""Hostile values in every field of every form: no 500, no unescaped echo, nothing half-written,
and what an accepted form stores is what was sent (after the documented clean-up)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from tests.security import hostile
from tests.security.forms import FORMS
from tests.security.test_authorization import snapshot


def form_values(fields: dict):
    """Each field valid, hostile or left out."""
    value = {
        name: st.one_of(valid, valid, hostile.hostile_value, st.none())
        for name, valid in fields.items()
    }
    return st.fixed_dictionaries(value).map(lambda d: {k: v for k, v in d.items() if v is not None})


@pytest.mark.parametrize("name", sorted(FORMS))
def test_hostile_form_values(client, world, name):
    form = FORMS[name]
    ids = dict(
        world.ids, profile_user=world.users.get(form.role, None) and world.users[form.role].id
    )
    url = form.url.format(**ids)
    outcomes = {"accepted": 0, "refused": 0}

    @hostile.RUN
    @given(form_values(form.fields))
    def check(sent):
        sent = {k: ids.get(v.strip("{}"), v) if v.startswith("{") else v for k, v in sent.items()}
        if sent.get("confirm") == "=password":
            sent["confirm"] = sent.get("password", "")
        world.sign_in(client, form.role)
        before = snapshot()
        hostile.TRIED[f"form {name}"] += 1
        response = client.post(
            url,
            data=hostile.encode(list(sent.items())),
            content_type="application/x-www-form-urlencoded",
        )
        db.session.expire_all()
        hostile.assert_safe(response, sent)
        if response.status_code >= 400:
            outcomes["refused"] += 1
            assert snapshot() == before, response.status_code
        else:
            outcomes["accepted"] += 1
            assert response.status_code == 302
            form.stored(sent, ids)

    check()
    assert outcomes["refused"] and (outcomes["accepted"] or name == "login"), outcomes
