"""Whole numbers typed into the committee's forms and ids in its URLs: ASCII digits only, so `int()` never
fails on a character Python calls a digit (², ٣) and a huge value never reaches the database."""
from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,9}")


def is_number(value) -> bool:
    return bool(_DIGITS.fullmatch(str(value if value is not None else "")))
