"""New-applicant issue item 1: the navbar's 用户信息 link works for every role (it was FAB's user-admin
page, a 403 for everyone but Admin) and opens the account's own page."""
from __future__ import annotations

import re

import pytest

from tests.conftest import login

# what each role's own account page must show: its own login name and something only its page has
OWN_PAGE = {
    "demo_person": ("/account/person/", "371002********002X"),  # the demo ID number, masked
    "demo_unit": ("/account/unit/", "威海市环翠区文化馆"),
    "demo_bureau": ("/account/backend/", "威海市"),
    "demo_committee": ("/account/backend/", "威海市环翠区群众文化专业职务资格初级评审委员会"),
}


def _navbar_userinfo_href(html: str) -> str:
    match = re.search(r'<a href="([^"]+)"><span class="fa fa-fw fa-user"></span>', html)
    assert match, "no 用户信息 link in the navbar"
    return match.group(1)


@pytest.mark.parametrize("username", sorted(OWN_PAGE))
def test_userinfo_link_opens_the_roles_own_page(client, demo, username):
    login(client, username)
    href = _navbar_userinfo_href(client.get("/").get_data(as_text=True))
    response = client.get(href)
    assert response.status_code == 302
    path, marker = OWN_PAGE[username]
    assert response.headers["Location"].endswith(path)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and username in html and marker in html


def test_admin_keeps_fabs_user_info_page(client, demo):
    login(client, "admin")
    href = _navbar_userinfo_href(client.get("/").get_data(as_text=True))
    response = client.get(href)
    assert response.status_code == 200 and "admin" in response.get_data(as_text=True)


def test_anonymous_userinfo_goes_to_login(client, demo):
    response = client.get("/users/userinfo/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
