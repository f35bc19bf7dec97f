"""One set of rules for the basic information, checked by the page and by the API alike,
so `PUT /api/v1/profile/` cannot store what the page's form would refuse (a 5,000-character WeChat id,
an ethnic group not in the registration list) and leave the page unable to save.

`profile_errors(kind, data)` gives {field: message} for the editable fields present in `data`; the
command (app/commands/accounts/profile.py) still refuses the fixed fields and checks mobile and e-mail."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.commands.accounts.register import ETHNIC_GROUPS

REQUIRED = _l("This field is required")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
PHONE_RE = re.compile(r"^[0-9+\-() ]*$")      # 0631-5200000, +86 631 5200000, (0631)5200000
WECHAT_RE = re.compile(r"^[A-Za-z0-9_\-]*$")  # WeChat ids are letters, digits, _ and -


@dataclass(frozen=True)
class Rule:
    max_length: int
    required: bool = False
    choices: tuple[str, ...] | None = None
    pattern: re.Pattern | None = None
    pattern_message: object = None


PERSON = {
    "ethnicity": Rule(16, required=True, choices=ETHNIC_GROUPS),
    "email": Rule(320, required=True),
    "mobile": Rule(16, required=True),
    "phone": Rule(32, pattern=PHONE_RE, pattern_message=_l("Enter a telephone number: digits, spaces, + - ( )")),
    "wechat": Rule(64, pattern=WECHAT_RE, pattern_message=_l("Enter a WeChat id: letters, digits, _ and -")),
}
UNIT = {
    "contact_name": Rule(64, required=True),
    "mobile": Rule(16, required=True),
    "email": Rule(320, required=True),
    "phone": Rule(32, pattern=PHONE_RE, pattern_message=_l("Enter a telephone number: digits, spaces, + - ( )")),
}
RULES = {"person": PERSON, "unit": UNIT}


def profile_errors(kind: str, data: dict) -> dict[str, object]:
    """{field: message} of the editable fields in `data` that break a rule ({} when all are fine)."""
    errors: dict[str, object] = {}
    for name, rule in RULES[kind].items():
        if name not in data:
            continue
        raw = data[name]
        if raw is not None and not isinstance(raw, str):
            errors[name] = _l("Enter text")
            continue
        value = (raw or "").strip()
        if not value:
            if rule.required:
                errors[name] = REQUIRED
        elif len(value) > rule.max_length:
            errors[name] = _l("At most %(n)d characters", n=rule.max_length)
        elif _CONTROL.search(value):
            errors[name] = _l("Remove the control characters")
        elif rule.choices is not None and value not in rule.choices:
            errors[name] = _l("Choose an ethnic group from the list")
        elif rule.pattern is not None and not rule.pattern.match(value):
            errors[name] = rule.pattern_message
    return errors
