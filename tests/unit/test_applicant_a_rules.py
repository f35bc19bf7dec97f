"""Pure rules of the new-applicant fixes: the one 民族 list, the yearly 继续教育 totals, the closed statuses."""
from __future__ import annotations

from app.security.validators import ETHNIC_GROUPS, is_ethnic_group
from app.workflow.sections import yearly_hours
from app.workflow.states import CLOSED_STATUSES, Status


def test_ethnic_groups_are_the_56_without_repeats():
    assert len(ETHNIC_GROUPS) == 56 == len(set(ETHNIC_GROUPS))
    assert ETHNIC_GROUPS[0] == "汉族" and "基诺族" in ETHNIC_GROUPS
    assert is_ethnic_group("回族") and not is_ethnic_group("火星族") and not is_ethnic_group(None)
    assert not is_ethnic_group(" 回族") and not is_ethnic_group("回")


def test_yearly_hours_sums_per_year_and_compares_with_the_requirement():
    entries = [{"year": 2024, "hours": "30"}, {"year": 2024, "hours": "40.5"}, {"year": 2025, "hours": "90"},
               {"started_on": "2023-03-01", "hours": "12"},  # typed in before entries had a year
               {"year": 2022, "hours": "x"}]  # unreadable hours count for nothing
    rows = yearly_hours(entries, 90)
    assert [(r.year, r.hours, r.met) for r in rows] == [(2025, 90.0, True), (2024, 70.5, False), (2023, 12.0, False)]


def test_only_cancelled_and_failed_applications_free_the_place():
    assert CLOSED_STATUSES == {"cancelled", "review_failed", "blacklisted"}
    assert Status.FINAL_PASSED.value not in CLOSED_STATUSES and Status.DRAFT.value not in CLOSED_STATUSES
