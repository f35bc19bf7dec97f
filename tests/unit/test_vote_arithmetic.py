"""M2 and M3 in integers and calendars: the two-thirds rule at its boundaries, the quorum, ratios kept as
fractions, and the publicity period in China's working days (holidays, make-up working days)."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from app.services.workdays import at_least, fraction, last_working_day

TWO_THIRDS = Fraction(2, 3)


@pytest.mark.parametrize("present, least", [(7, 5), (9, 6), (10, 7), (3, 2), (1, 1)])
def test_the_fewest_agree_votes_that_pass(present, least):
    assert at_least(least, present, TWO_THIRDS)
    assert not at_least(least - 1, present, TWO_THIRDS)


def test_quorum_of_eight_drawn_experts_is_six():
    assert at_least(6, 8, TWO_THIRDS) and not at_least(5, 8, TWO_THIRDS)


def test_ratios_are_exact_fractions_and_bounded():
    assert fraction("2/3") == TWO_THIRDS and fraction(" 3/4 ") == Fraction(3, 4)
    for bad in ("0", "4/3", "-1/2"):
        with pytest.raises(ValueError):
            fraction(bad)


@pytest.mark.parametrize("published, days, last", [
    (dt.date(2026, 9, 29), 5, dt.date(2026, 10, 12)),  # National Day 1–7 Oct, Sat 10 Oct a make-up working day
    (dt.date(2026, 12, 1), 5, dt.date(2026, 12, 8)),   # an ordinary week: Wed–Fri, Mon, Tue
    (dt.date(2026, 12, 4), 1, dt.date(2026, 12, 7)),   # Friday: the next working day is Monday
])
def test_publicity_ends_after_working_days(published, days, last):
    assert last_working_day(published, days) == last
