"""Role × endpoint matrix built from app.url_map: every endpoint must be listed here with the roles
that may reach it, so a new endpoint without a decision fails this test."""
from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, login
from tests.integration.matrix_parts import ADM, ANON, BUR, COM, EXP, IND, ROLES, UNIT, merged

USERS = {IND: "demo_person", UNIT: "demo_unit", BUR: "demo_bureau", COM: "demo_committee", EXP: "demo_expert2",
         ADM: "admin"}
EVERYONE = set(ROLES)
SIGNED_IN = {IND, UNIT, BUR, COM, EXP, ADM}
NOBODY: set[str] = set()
ADMIN_ONLY = {ADM}

# endpoint (or prefix ending in ".") → roles allowed. FAB's own security views are Admin's (A8).
MATRIX: dict[str, set[str]] = {
    "static": EVERYONE, "appbuilder.static": EVERYONE,
    "HomeIndexView.index": SIGNED_IN,  # anonymous visitors are sent to the login page
    "LoginView.login": EVERYONE, "LoginView.logout": EVERYONE, "CaptchaView.image": EVERYONE,
    "PublicView.regions": EVERYONE, "LocaleView.index": EVERYONE, "UtilView.back": EVERYONE,
    "RegisterView.": EVERYONE, "RecoveryView.": EVERYONE,
    "SecurityApi.login": EVERYONE, "SecurityApi.refresh": EVERYONE,
    "OpenApi.get": SIGNED_IN, "SwaggerView.show": SIGNED_IN,
    "MenuApi.get_menu_data": SIGNED_IN,
    "PasswordView.change": SIGNED_IN,
    "NotificationView.list": SIGNED_IN, "NotificationView.show": SIGNED_IN,
    "NotificationView.action": NOBODY, "NotificationView.action_post": NOBODY, "NotificationView.add": NOBODY,
    "NotificationView.edit": NOBODY, "NotificationView.delete": NOBODY, "NotificationView.download": NOBODY,
    "PersonProfileView.edit": {IND, ADM},
    "UnitProfileView.edit": {UNIT, ADM},
    "ProfileApi.": {IND, UNIT, ADM},
    "BackendProfileView.show": {BUR, COM, ADM},
    "RegionView.list": {BUR, ADM}, "RegionView.show": {BUR, ADM}, "RegionView.add": ADMIN_ONLY,
    "RegionView.edit": ADMIN_ONLY, "RegionView.delete": NOBODY, "RegionView.action": NOBODY,
    "RegionView.action_post": NOBODY, "RegionView.download": NOBODY,
    "AuditLogView.list": ADMIN_ONLY, "AuditLogView.show": ADMIN_ONLY, "AuditLogView.add": NOBODY,
    "AuditLogView.edit": NOBODY, "AuditLogView.delete": NOBODY, "AuditLogView.action": NOBODY,
    "AuditLogView.action_post": NOBODY, "AuditLogView.download": NOBODY,
    "BackendAccountView.list": ADMIN_ONLY, "BackendAccountView.show": ADMIN_ONLY,
    "BackendAccountView.edit": ADMIN_ONLY, "BackendAccountView.create": ADMIN_ONLY,
    "BackendAccountView.add": NOBODY, "BackendAccountView.delete": NOBODY, "BackendAccountView.download": NOBODY,
    "BackendAccountView.action": NOBODY, "BackendAccountView.action_post": NOBODY,
    "OutboxView.list": ADMIN_ONLY, "OutboxView.show": ADMIN_ONLY, "OutboxView.add": NOBODY,
    "OutboxView.edit": NOBODY, "OutboxView.delete": NOBODY, "OutboxView.action": NOBODY,
    "OutboxView.action_post": NOBODY, "OutboxView.download": NOBODY,
    "AuditedUserDBModelView.": ADMIN_ONLY, "RoleModelView.": ADMIN_ONLY, "UserGroupModelView.": ADMIN_ONLY,
    # FAB's permission views are read-only lists
    "PermissionModelView.list": ADMIN_ONLY, "ViewMenuModelView.list": ADMIN_ONLY,
    "PermissionViewModelView.list": ADMIN_ONLY,
    "PermissionModelView.": NOBODY, "ViewMenuModelView.": NOBODY, "PermissionViewModelView.": NOBODY,
    "UserInfoEditView.": ADMIN_ONLY, "ResetMyPasswordView.": ADMIN_ONLY,
    "ResetPasswordView.": ADMIN_ONLY,
}
_clash = set(MATRIX) & set(merged())
assert not _clash, f"listed twice: {_clash}"
MATRIX.update(merged())
SAMPLE_ARGS = {"pk": "999999", "name": "x", "filename": "missing_sep_file.pdf", "locale": "zh", "version": "v1", "group_by": "x",
               "role_id": "999999", "path": "css/ab.css"}
SAMPLE_FILES = {"appbuilder.static": "css/ab.css", "static": "missing.css"}
# actions of FAB's own model views that no role can reach even with every permission
# FAB's action dispatchers check each action's own permission inside; an unknown action does nothing
ACTION_DISPATCH = re.compile(r"\.(action|action_post)$")


def allowed_roles(endpoint: str) -> set[str]:
    if endpoint in MATRIX:
        return MATRIX[endpoint]
    prefix = endpoint.split(".")[0] + "."
    if prefix in MATRIX:
        return MATRIX[prefix]
    raise KeyError(endpoint)


def _probes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        args = {a: SAMPLE_FILES.get(rule.endpoint, SAMPLE_ARGS.get(a, "1")) if a == "filename"
                else SAMPLE_ARGS.get(a, "1") for a in rule.arguments}
        with app.test_request_context():
            url = rule.build(args, append_unknown=False)[1]
        yield rule.endpoint, method, url


def test_every_endpoint_is_listed(app):
    missing = sorted({e for e, _m, _u in _probes(app) if _unlisted(e)})
    assert not missing, f"endpoints without an access decision in the matrix: {missing}"


def _unlisted(endpoint):
    try:
        allowed_roles(endpoint)
    except KeyError:
        return True
    return False


def _denied(role, url, response) -> bool:
    if url.startswith("/api/"):
        return response.status_code in (401, 403)
    if role == ANON:
        return response.status_code == 302 and "/login/" in response.headers.get("Location", "")
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, demo, role):
    client = app.test_client()
    headers = {}
    if role != ANON:
        assert login(client, USERS[role]).status_code == 302
        token = app.test_client().post("/api/v1/security/login", json={
            "username": USERS[role], "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
    wrong = []
    for endpoint, method, url in _probes(app):
        if endpoint in ("LoginView.logout", "SecurityApi.login", "SecurityApi.refresh", "SecurityApi.logout",
                        "LocaleView.index"):
            continue  # they change the session itself; covered by their own tests
        response = client.open(url, method=method, json={} if method != "GET" else None,
                               headers=headers if url.startswith("/api/") else {})
        assert response.status_code != 500, f"{role} {method} {url} gave 500"
        if ACTION_DISPATCH.search(endpoint):
            if response.status_code not in (302, 400, 403, 404):
                wrong.append(f"{method} {url} ({endpoint}) → {response.status_code}, expected a refusal")
            continue
        should = role in allowed_roles(endpoint)
        if should == _denied(role, url, response):
            wrong.append(f"{method} {url} ({endpoint}) → {response.status_code}, expected "
                         f"{'allowed' if should else 'denied'}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
