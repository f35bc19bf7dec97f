"""Working days as China counts them (chinese-calendar: public holidays and the make-up working days on
weekends), for the publicity period of the committee's results."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import chinese_calendar


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the library does not know yet: weekdays
        return day.weekday() < 5


def last_working_day(published_on: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` working days that starts the day after `published_on`."""
    day, counted = published_on, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def fraction(setting) -> Fraction:
    """A ratio setting ("2/3") as an exact fraction; never a float."""
    value = Fraction(str(setting).strip())
    if not 0 < value <= 1:
        raise ValueError(f"a ratio between 0 and 1 is expected, not {setting!r}")
    return value


def at_least(part: int, whole: int, ratio: Fraction) -> bool:
    """part / whole ≥ ratio, in integers: part × denominator ≥ whole × numerator."""
    return part * ratio.denominator >= whole * ratio.numerator
