"""Each role's menu shows only its own work (roles as data, synced from app/security/roles.py)."""
from __future__ import annotations

import pytest

from tests.conftest import login

LINKS = {
    "demo_person": {"/account/person/", "/account/password/", "/account/messages/list/"},
    "demo_unit": {"/account/unit/", "/account/password/", "/account/messages/list/"},
    "demo_bureau": {"/account/backend/", "/catalog/regions/list/", "/account/password/"},
    "demo_committee": {"/account/backend/", "/account/password/", "/account/messages/list/"},
    "admin": {"/users/list/", "/roles/list/", "/admin/audit/list/", "/admin/outbox/list/"},
}
COMMON = {"/account/password/", "/account/messages/list/"}
ALL_LINKS = set().union(*LINKS.values()) - COMMON


@pytest.mark.parametrize("username", sorted(LINKS))
def test_home_shows_only_the_roles_menu(client, demo, username):
    login(client, username)
    html = client.get("/").get_data(as_text=True)
    for link in LINKS[username]:
        assert f'href="{link}"' in html, link
    if username != "admin":
        for link in ALL_LINKS - LINKS[username]:
            assert f'href="{link}"' not in html, link


def test_english_is_available(client, demo):
    login(client, "demo_person")
    client.get("/lang/en")
    assert "Change password" in client.get("/").get_data(as_text=True)


def test_admin_reads_the_audit_log_in_local_time(app, client, demo, clock):
    login(client, "admin")  # 02:00 UTC on the fake clock
    html = client.get("/admin/audit/list/").get_data(as_text=True)
    # the action is shown by its label (issue item 17), not the stored code "login"
    assert "2026-11-22 10:00:00" in html and "<td>登录</td>" in html
