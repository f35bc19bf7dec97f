"""A page that is for one kind of account (a unit, a bureau's region, a committee office, the issuer, a
person's profile) sends any other signed-in account home with a warning, and shows none of its rows."""
from __future__ import annotations

import pytest

PAGES = [
    ("/deadlines/overdue/", "Only a bureau account bound to a region can see this"),
    ("/account/person/", "This account has no such profile"),
    ("/review/", "Only a unit account can do this"),
    ("/committee/meetings/", "Only a committee office can do this"),
    ("/committee/experts/", "Only a committee office can do this"),
    ("/report/applicant-list/", "Only a unit account can do this"),
    ("/certificates/recognition/", "Only the issuing body can issue certificates"),
    ("/certificates/seal/", "Only the issuing body can issue certificates"),
    ("/units/permission/", "Only a unit account can do this"),
]


@pytest.mark.parametrize("url, message", PAGES)
def test_other_account_is_sent_home_with_a_warning(app, login_as, url, message):
    client = login_as("admin")
    response = client.get(url)
    assert response.status_code == 302, url
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        flashes = session.get("_flashes", [])
    with app.test_request_context():
        from flask_babel import gettext
        assert ("warning", gettext(message)) in flashes
