"""X1: a visitor whose browser asks for no language, or for another one, gets the pages in Chinese;
English only when chosen in the language menu."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("accept", [None, "en-US,en;q=0.9", "fr"])
def test_login_page_is_chinese_whatever_the_browser_asks(client, accept):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/login/", headers=headers).get_data(as_text=True)
    assert "登录" in page and "密码" in page
    assert "Password" not in page and "Sign in" not in page


def test_english_when_chosen(client):
    client.get("/lang/en")
    page = client.get("/login/").get_data(as_text=True)
    assert "Password" in page and "密码" not in page
