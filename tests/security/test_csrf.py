"""CSRF with the protection on (the test app turns it off): every mutating route of the url_map refuses a
POST without a token, as every role and anonymously, before anything is changed; every POST form of every
page carries a token; the JSON API (FAB exempts it from the token) cannot be driven by a cross-site form
or a cross-origin script; FAB's delete and action by GET change nothing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.security.conftest import signed_in
from tests.security.crawl import argument_free_get_routes, crawl, forms_without_token
from tests.security.test_idor import _snapshot

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "表单已过期或不是从本站提交的"  # the Chinese of the CSRF error page (core.po)
USERS = ["demo_person", "demo_unit", "admin"]  # the check runs before any role's view; admin reaches every view


@pytest.fixture(scope="module")
def csrf_app(app, world):
    """A second app on the same database with CSRF on from the start. Flipping the setting on the shared
    app is not enough and harms later tests: FAB keeps the form classes it built at the first request."""
    from app import create_app

    keys = ("DATABASE_URL", "ATTACHMENT_DIR", "DEMO_PASSWORD", "SECRET_KEY")
    return create_app({**{key: app.config[key] for key in keys}, "TESTING": True, "CAPTCHA_ENABLED": False,
                       "SCHEDULER_ENABLED": False, "WTF_CSRF_ENABLED": True})


@pytest.fixture(scope="module")
def csrf_clients(csrf_app):
    made: dict = {}

    def get(username: str | None):
        if username is None:
            return csrf_app.test_client()
        if username not in made:
            made[username] = signed_in(csrf_app, username)
        return made[username]

    return get


def _sample_args(world) -> dict:
    """Real ids of side A's rows, so a route that skipped the check would reach a real row."""
    a = world.ids["a"]
    return {"application_id": a["review"], "attachment_id": a["draft_parts"]["attachment"],
            "entry_id": a["draft_parts"]["entry"], "path_id": a["unit_path"], "pk": "1", "code": "education",
            "business": "review", "kind": "unit", "name": "x", "filename": "x.csv", "locale": "zh",
            "version": "v1", "role_id": "1"}


def _mutating_routes(app, world, *, api: bool):
    args = _sample_args(world)
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) & MUTATING)
        if not methods or rule.rule.startswith("/api/") != api:
            continue
        values = {name: args.get(name, "1") for name in rule.arguments}
        with app.test_request_context():
            url = rule.build(values, append_unknown=False)[1]
        for method in methods:
            yield rule.endpoint, method, url


@pytest.mark.parametrize("username", [None] + USERS)
def test_every_mutating_route_refuses_a_post_without_a_token(app, world, csrf_app, csrf_clients, username):
    client = csrf_clients(username)
    before = _snapshot(app)
    wrong, count = [], 0
    for endpoint, method, url in _mutating_routes(app, world, api=False):
        count += 1
        response = client.open(url, method=method, data={
            "action": "pass", "ids": "1", "text": "跨站", "choice": "agree", "username": "admin",
            "password": PASSWORD, "name": "跨站", "reason": "跨站", "rowid": "1"})
        body = response.get_data(as_text=True)
        if response.status_code != 400 or CSRF_MESSAGE not in body:
            wrong.append(f"{method} {url} ({endpoint}) → {response.status_code}")
    assert count > 50, f"only {count} mutating routes found"
    assert not wrong, f"{username or 'anonymous'}: without a CSRF token these were not refused:\n" + "\n".join(wrong)
    assert _snapshot(app) == before, "a POST without a token changed rows"


def test_a_post_with_the_token_passes_the_check(app, world, csrf_app):
    """The control for the refusals above: the same login with the page's token signs in."""
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    refused = client.post("/login/", data={"username": "demo_person", "password": PASSWORD, "captcha": ""})
    assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_data(as_text=True)
    signed = client.post("/login/", data={"username": "demo_person", "password": PASSWORD, "captcha": "",
                                          "csrf_token": token})
    assert signed.status_code == 302 and "/login" not in signed.headers["Location"]


@pytest.mark.parametrize("username", [None] + USERS)
def test_every_post_form_of_every_page_carries_a_token(app, world, csrf_app, csrf_clients, username):
    client = csrf_clients(username)
    seeds = ["/", "/login/", "/register/individual", "/register/unit", "/recover/password", "/recover/username",
             *argument_free_get_routes(app), f"/applications/{world.ids['a']['draft']}",
             f"/applications/{world.ids['a']['draft']}/sections/education", f"/review/{world.ids['a']['review']}"]
    pages = crawl(client, seeds, limit=150)
    forms = 0
    wrong = []
    for page in pages:
        if page.content_type.startswith("text/html"):
            forms += len(re.findall(r"<form\b[^>]*method\s*=\s*[\"']?post", page.body, re.I))
            wrong += [f"{page.url}: {tag}" for tag in forms_without_token(page.body)]
    assert forms >= 3, f"{username}: only {forms} POST forms found: the crawl is broken"
    assert not wrong, f"{username or 'anonymous'}: POST forms without a csrf_token:\n" + "\n".join(wrong)


@pytest.mark.parametrize("username", ["demo_person", "demo_unit"])
def test_the_json_api_cannot_be_driven_cross_site(app, world, csrf_app, csrf_clients, username):
    """FAB exempts its API from the token and lets the session cookie sign it in (allow_browser_login).
    A cross-site page can send only a form (urlencoded, multipart or text/plain) without asking; the API
    must refuse those, and must grant no other origin a preflight."""
    client = csrf_clients(username)
    before = _snapshot(app)
    wrong = []
    for endpoint, method, url in _mutating_routes(app, world, api=True):
        for content_type, payload in (("application/x-www-form-urlencoded", "real_name=x&mobile=13900000009"),
                                      ("text/plain", '{"mobile": "13900000009", "username": "demo_person"}'),
                                      ("multipart/form-data; boundary=b", "--b--")):
            response = client.open(url, method=method, data=payload, content_type=content_type,
                                   headers={"Origin": "https://evil.example"})
            if 200 <= response.status_code < 300:
                wrong.append(f"{method} {url} as {content_type} → {response.status_code}")
        preflight = client.open(url, method="OPTIONS", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type"})
        if preflight.headers.get("Access-Control-Allow-Origin") or preflight.headers.get(
                "Access-Control-Allow-Credentials"):
            wrong.append(f"OPTIONS {url} grants {preflight.headers.get('Access-Control-Allow-Origin')}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot(app) == before


def test_fab_delete_and_action_by_get_change_nothing(app, world, csrf_app, csrf_clients):
    """A link (an <img src>, a GET) must not delete: FAB's GET delete and action are refused with CSRF on."""
    from app.models.catalog import ExceptionalCase, TitleLevel

    client = csrf_clients("admin")
    with app.app_context():
        level_id = db.session.execute(select(TitleLevel.id).order_by(TitleLevel.id.desc())).scalars().first()
        case_id = db.session.execute(select(ExceptionalCase.id)).scalars().first()
    before = _snapshot(app)
    for url in (f"/catalog/levels/delete/{level_id}", f"/catalog/exceptional-cases/delete/{case_id}",
                f"/account/messages/delete/{world.ids['a']['notification']}", "/users/delete/1",
                "/users/action/userinfoedit/1"):
        response = client.get(url)
        assert response.status_code < 500, url
    assert _snapshot(app) == before, "a GET deleted or changed a row"
