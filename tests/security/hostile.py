"""Hostile values for every field and parameter, and what a response may never do with them."""

from __future__ import annotations

import os
from collections import Counter
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# How many hostile requests each test sent; the terminal summary prints the total.
TRIED: Counter = Counter()

XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
)
MEGABYTE = "写" * (1024 * 1024 // 3)  # 1 MB of UTF-8
HOSTILE = (
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e308",
    "-1e308",
    "1e309",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "9" * 400,
    "0.1" + "0" * 60,
    "2147483648",
    "-9223372036854775809",
    "１２３",
    "13８１２３４５６７８",  # a mobile number in full-width digits
    "1٣٨١٢٣٤٥٦٧٨",  # and in Arabic-Indic ones
    "13812345678\n",
    "1_000",
    "0x1F",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202e\u200b\ufeff",
    "\r\n\t",
    "😀🏢👩‍💻",
    *XSS,
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    "%' OR '%'='",
    "${7*7}",
    "{{7*7}}",
    "%s%n%x",
    "../../../etc/passwd",
    "诸暨次坞 Zhūjì Жилой Ωμέγα العربية",
    "29.7,120.2",
    "91,181",
    "null",
    "[]",
    "a" * 5000,
    MEGABYTE,
)
# A lone surrogate, sent as raw UTF-8 bytes; and a byte that is not UTF-8 at all.
RAW_BAD_UTF8 = ("%ED%A0%80", "%FF%FE", "%C0%AF")

RUN = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

text = st.text(max_size=60)
hostile_value = st.one_of(
    text,
    st.sampled_from(HOSTILE),
    st.integers().map(str),
    st.floats().map(repr),
    st.tuples(st.sampled_from(HOSTILE), text, st.sampled_from(XSS)).map("".join),
)


def encode(pairs: list[tuple[str, str]]) -> bytes:
    """A query string or urlencoded body; lone surrogates go out as their raw UTF-8 bytes."""
    return "&".join(
        f"{quote(k, safe='')}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in pairs
    ).encode("ascii")


def assert_safe(response, sent) -> None:
    """No server error, and no hostile markup that was sent comes back unescaped."""
    assert response.status_code < 500, response.get_data(as_text=True)[:1000]
    body = response.get_data(as_text=True)
    values = sent.values() if isinstance(sent, dict) else sent
    for value in values:
        for payload in XSS:
            if isinstance(value, str) and payload in value:
                assert payload not in body, payload
