"""Certificate numbers are allocated without races: 100 issues at once get 100 distinct numbers."""
from __future__ import annotations

import threading

import pytest

from app.commands.base import transaction
from app.commands.certificates.numbers import next_number
from app.extensions import db


def test_one_hundred_concurrent_allocations_give_one_hundred_distinct_numbers(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time, so there is no race to test; this runs on PostgreSQL")
    numbers, errors = [], []
    start = threading.Barrier(100)

    def allocate():
        try:
            with app.app_context():
                start.wait(timeout=30)
                with transaction():
                    numbers.append(next_number("371000", 2026))
                db.session.remove()
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(err))

    threads = [threading.Thread(target=allocate) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(numbers) == 100 and len(set(numbers)) == 100
    assert sorted(numbers) == [f"3710002026{n:06d}" for n in range(1, 101)]
