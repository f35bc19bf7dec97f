"""SQL statements per page stay few and constant (X7): FAB's per-menu permission queries are
answered from one query per request."""
from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import login


@contextlib.contextmanager
def count_statements(app):
    with app.app_context():
        engine = db.engine
    seen = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@pytest.mark.parametrize("username,url,limit", [
    (None, "/login/", 3),
    ("demo_person", "/", 6),
    ("demo_person", "/account/person/", 7),
    ("admin", "/", 6),
    ("admin", "/admin/audit/list/", 8),
])
def test_statements_per_page(app, client, demo, username, url, limit):
    if username:
        login(client, username)
    client.get(url)  # warm: the first request after login may touch the session row
    with count_statements(app) as seen:
        assert client.get(url).status_code == 200
    assert len(seen) <= limit, "\n".join(seen)
