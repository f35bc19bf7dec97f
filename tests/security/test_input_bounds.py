"""Hole 9: bad input is a 400 or 404 page in Chinese, never a 500. Every route of app.url_map is called
by a role that may reach it, with ids beyond the database's integer range, garbage where a number is
expected, FAB list parameters that are not numbers, and FAB actions that do not exist."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, login
from tests.integration.matrix_parts import ADM, ANON, BUR, COM, IND, ROLES, UNIT
from tests.integration.test_access_matrix import SAMPLE_ARGS, SAMPLE_FILES, USERS, allowed_roles

HUGE = "9223372036854775808"          # 2**63: beyond SQLite's INTEGER
BIG = "2147483648"                     # 2**31: beyond PostgreSQL's integer
ENORMOUS = "100000000000000000000"     # 10**20
SKIP = {"LoginView.logout", "SecurityApi.login", "SecurityApi.refresh", "LocaleView.index"}  # change the session


def _query(view: str) -> str:
    """Every number-like query parameter the app's and FAB's pages read, each one bad."""
    return "&".join([
        f"page_{view}=abc", f"psize_{view}={ENORMOUS}", f"_oc_{view}=no_such_column", f"_od_{view}=sideways",
        "page=abc", f"year={ENORMOUS}", f"parent={ENORMOUS}", f"level={HUGE}", f"series={HUGE}", f"title={HUGE}",
        f"unit={HUGE}", f"entry={HUGE}", f"committee={HUGE}", "status=nonsense", "sort=nonsense",
        f"q=(page:{'9' * 25},page_size:{'9' * 25})", f"_flt_0_id={HUGE}",
    ])


def _role_for(endpoint: str) -> str:
    allowed = allowed_roles(endpoint)
    for role in (IND, UNIT, BUR, COM, ANON, ADM):  # an ordinary role first; Admin for FAB's own views
        if role in allowed:
            return role
    return ADM  # nobody may: Admin still must not get a 500


def _urls(app, rule):
    """The URL of `rule` with each variable set to each bad value (one URL when it has none)."""
    numeric = [a for a in rule.arguments if a in ("pk", "role_id") or
               type(rule._converters.get(a)).__name__.lower().startswith(("int", "bounded"))]
    values = [HUGE, BIG, ENORMOUS] if numeric else [None]
    for bad in values:
        args = {}
        for a in rule.arguments:
            if a in numeric:
                args[a] = bad
            elif a == "filename":
                args[a] = SAMPLE_FILES.get(rule.endpoint, SAMPLE_ARGS[a])
            else:
                args[a] = SAMPLE_ARGS.get(a, "1")
        with app.test_request_context():
            try:
                yield rule.build(args, append_unknown=False)[1]
            except Exception:  # noqa: BLE001 — the converter refuses the value: the URL cannot exist
                yield _raw_url(rule, args)
    if any(a == "pk" for a in rule.arguments):
        args = {a: ("abc" if a == "pk" else SAMPLE_ARGS.get(a, "1")) for a in rule.arguments}
        yield _raw_url(rule, args)


def _raw_url(rule, args) -> str:
    url = rule.rule
    for name, value in args.items():
        for pattern in (f"<{name}>", f"<int:{name}>", f"<string:{name}>", f"<path:{name}>"):
            url = url.replace(pattern, str(value))
    return url


@pytest.fixture
def clients(app, demo):
    made = {ANON: (app.test_client(), {})}
    for role in (IND, UNIT, BUR, COM, ADM):
        client = app.test_client()
        assert login(client, USERS[role]).status_code == 302
        token = app.test_client().post("/api/v1/security/login", json={
            "username": USERS[role], "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
        made[role] = (client, {"Authorization": f"Bearer {token}"})
    return made


def test_no_route_answers_500_to_bad_ids_and_parameters(app, clients):
    failures = []
    for rule in list(app.url_map.iter_rules()):
        if rule.endpoint in SKIP or rule.endpoint.endswith("static"):
            continue
        role = _role_for(rule.endpoint)
        client, token = clients[role]
        view = rule.endpoint.split(".")[0]
        for url in _urls(app, rule):
            headers = token if url.startswith("/api/") else {}
            calls = []
            if "GET" in rule.methods:
                calls.append(("GET", f"{url}?{_query(view)}", None, None))
            for method in sorted(rule.methods & {"POST", "PUT", "DELETE"}):
                calls.append((method, url, {"action": "muldelete", "rowid": [HUGE, "abc"], "id": HUGE,
                                            "entry_id": HUGE, "application_id": HUGE, "ids": HUGE}, None))
                if url.startswith("/api/"):
                    calls.append((method, url, None, {"id": int(HUGE), "page": int(ENORMOUS)}))
            for method, target, form, body in calls:
                response = client.open(target, method=method, data=form, json=body, headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {target[:160]} → {response.status_code}")
    assert not failures, f"{len(failures)} requests answered 5xx:\n" + "\n".join(failures)
