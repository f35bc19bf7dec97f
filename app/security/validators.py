"""Validators for Chinese identifiers and passwords. Pure functions: no Flask app needed
(messages are lazy strings, translated when shown)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdCardInfo:
    number: str
    birth_date: dt.date
    gender: str  # "男" / "女"


def normalize_id_number(raw: str) -> str:
    """Strip blanks and upper-case the final x (GB 11643 uses X for 10)."""
    return (raw or "").strip().replace(" ", "").upper()


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: str) -> IdCardInfo:
    """Validate an 18-digit 居民身份证号 (GB 11643-1999); raise ValueError with a Chinese reason."""
    number = normalize_id_number(raw)
    if not _ID_RE.match(number):
        raise ValueError(_l("An ID number has 18 characters: 17 digits, then a digit or X"))
    try:
        birth = dt.datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        raise ValueError(_l("The birth date in the ID number does not exist")) from None
    if birth > dt.date.today():
        raise ValueError(_l("The birth date in the ID number is after today"))
    if id_check_char(number[:17]) != number[17]:
        raise ValueError(_l("The check digit of the ID number is wrong"))
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdCardInfo(number=number, birth_date=birth, gender=gender)


def _passes(check, raw: str) -> bool:
    try:
        check(raw)
    except ValueError:
        return False
    return True


def is_valid_id_number(raw: str) -> bool:
    return _passes(parse_id_number, raw)


def mask_id_number(number: str | None) -> str:
    """110105********002X: region and last four kept (PIPL, X3)."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 1)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(mobile: str | None) -> str:
    if not mobile:
        return ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return mobile[:3] + "****" + mobile[-4:]


# GB 32100-2015 统一社会信用代码: 18 characters over an alphabet without I, O, Z, S, V.
_CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_CC_ALPHABET.index(c) * w for c, w in zip(first17, _CC_WEIGHTS))
    return _CC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """Return the normalised code or raise ValueError with a Chinese reason."""
    code = (raw or "").strip().upper()
    if len(code) != 18:
        raise ValueError(_l("A unified social credit code has 18 characters"))
    if any(c not in _CC_ALPHABET for c in code):
        raise ValueError(_l("The credit code contains characters that are not allowed (I, O, Z, S, V are never used)"))
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValueError(_l("The check character of the credit code is wrong"))
    return code


def is_valid_credit_code(raw: str) -> bool:
    return _passes(validate_credit_code, raw)


# 民族: the one list of every route that takes an ethnicity (registration, 基本信息 page and API);
# GB 3304 order, 汉族 first
ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
ETHNICITY_NOT_LISTED = _l("Choose an ethnic group from the list")


def is_ethnic_group(value) -> bool:
    return isinstance(value, str) and value in ETHNIC_GROUPS


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGIN_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def password_reason(password: str, *, user_inputs: tuple[str, ...] = (), min_length: int = 8) -> str | None:
    """Why a password is refused, as a reason code ("length", "mix", "common"), or None."""
    if len(password or "") < min_length:
        return "length"
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        return "mix"
    from zxcvbn import zxcvbn  # the estimator knows common passwords, names and keyboard walks

    if zxcvbn(password[:72], user_inputs=[u for u in user_inputs if u])["score"] < 2:
        return "common"
    return None
