"""url_for's reserved arguments cannot come from the query string: `?_external=1` with a forged
Host made the pagination and the map's data URL point at another site (and the page cache kept
them for the next visitor); `?_method=POST` was a 500. Both are a 400 now."""

from __future__ import annotations

import pytest

PAGES = ["/listings/", "/listings/?district=诸暨市", "/news/", "/parks/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    "argument", ["_external=1", "_method=POST", "_scheme=javascript", "_anchor=x"]
)
def test_reserved_arguments_are_refused(client, demo, path, argument):
    joined = f"{path}{'&' if '?' in path else '?'}{argument}"
    response = client.get(joined, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "请求参数无效" in response.get_data(as_text=True)
    assert "evil.example" not in response.get_data(as_text=True)
