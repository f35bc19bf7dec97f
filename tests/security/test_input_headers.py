"""Hole 10: every page refuses to be framed and is not cached; a forged Host header is refused (400),
never echoed into the login redirect."""
from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import make_person

PAGES = ["/login/", "/account/person/", "/applications/", "/api/v1/profile/", "/no/such/page"]


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        make_person()
    assert login(client, "wangwu").status_code == 302
    return client


@pytest.mark.parametrize("path", PAGES)
def test_pages_cannot_be_framed_nor_cached(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code < 500
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_personal_page_is_not_cached(signed_in):
    response = signed_in.get("/account/person/")
    assert response.status_code == 200 and "110105********002X" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client):
    response = client.get("/static/appbuilder/css/ab.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "localhost.evil.example"])
def test_a_forged_host_is_refused_not_echoed(client, host):
    response = client.get("/applications/", headers={"Host": host})
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("Location", "")
    assert "请求无法识别" in response.get_data(as_text=True)


def test_a_forged_forwarded_host_is_refused_behind_the_proxy(app, client):
    from werkzeug.middleware.proxy_fix import ProxyFix

    wrapped = app.wsgi_app
    app.wsgi_app = ProxyFix(wrapped, x_for=1, x_proto=1, x_host=1)
    try:
        response = client.get("/applications/", headers={"X-Forwarded-Host": "evil.example"})
    finally:
        app.wsgi_app = wrapped
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("Location", "")


def test_the_configured_host_gets_a_relative_login_redirect_on_itself(client):
    response = client.get("/applications/", headers={"Host": "localhost"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login/") and "evil" not in location
