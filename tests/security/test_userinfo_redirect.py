"""The navbar's 用户信息 route (/users/userinfo/) now answers every signed-in role; it must send each one
to its own page only, never show FAB's user record or open FAB's user-edit forms to non-admins."""
from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.mark.parametrize("username", ["demo_person", "demo_unit", "demo_bureau", "demo_committee"])
def test_userinfo_redirects_non_admins_and_fab_edit_stays_closed(client, demo, username):
    login(client, username)
    response = client.get("/users/userinfo/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/")
    # FAB's own user-info edit and reset forms remain Admin's
    assert client.get("/userinfoeditview/form").status_code == 403
    assert client.get("/resetmypassword/form").status_code == 403
    assert client.get("/users/list/").status_code == 403


def test_person_page_shows_only_the_own_account(app, client, demo):
    from tests.factories import make_person

    with app.app_context():
        make_person(username="other_person", id_number="440524188001010014", real_name="李四")
    login(client, "demo_person")
    html = client.get("/users/userinfo/", follow_redirects=True).get_data(as_text=True)
    assert "demo_person" in html and "other_person" not in html and "李四" not in html
