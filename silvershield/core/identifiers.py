"""Checking the identifiers officers type: credit codes, ID numbers, phone numbers.

The unified social credit code (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, S, V, Z;
character 1 is the registering authority (1-9, A, N, Y, …), 2 the kind of organisation, 3-8 the
division code, 9-17 the organisation code, 18 a check character (mod 31). python-stdnum's `cn.uscc`
computes the check character correctly but insists that the first eight characters are digits, so it
rejects real codes of institutions registered by e.g. 民政 (5…), 工会 (A…/N…) or other authorities
(Y…); and it does not fold full-width characters. We normalise with NFKC and check the format ourselves,
then let stdnum compute the check character.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{2}}[0-9]{{6}}[{USCC_ALPHABET}]{{10}}$")


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier; the message says why, in words for the officer."""


def normalize_uscc(value: str) -> str:
    """Full-width to half-width, upper case, spaces and dashes dropped."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", text).upper()


def uscc_check_character(code17: str) -> str:
    return stdnum_uscc.calc_check_digit(code17)


def validate_uscc(value: str) -> str:
    """Return the normalised code, or raise InvalidIdentifier."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise InvalidIdentifier(f"统一社会信用代码应为18位，输入了{len(code)}位")
    if not _USCC_RE.match(code):
        raise InvalidIdentifier("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z），或第3至8位不是行政区划代码")
    if uscc_check_character(code[:17]) != code[17]:
        raise InvalidIdentifier("统一社会信用代码校验位不符")
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except InvalidIdentifier:
        return False
    return True


def validate_id_number(value: str) -> str:
    """A resident identity card number (GB 11643), normalised; raises InvalidIdentifier."""
    number = unicodedata.normalize("NFKC", value or "").strip().upper().replace(" ", "")
    try:
        return ric.validate(number)
    except StdnumError as exc:
        raise InvalidIdentifier("身份证号码无效（长度、出生日期或校验位不符）") from exc


_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE_RE = re.compile(r"^(12315|12345|110|400\d{7}|800\d{7})$")


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Whether mobile numbers starting with these five digits are valid, judged once by phonenumbers (slow: a
# tenth of a millisecond) — a mainland mobile's validity depends on its prefix only (134x, 1349x, 170x…).
_MOBILE_PREFIX_VALID: dict[str, bool] = {}


def validate_phone(value: str) -> str:
    """A mainland mobile or landline number (e.g. 13804761234, 0476-8123456); raises InvalidIdentifier."""
    text = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "")
    if text.startswith("+86"):
        text = text[3:]
    if _LANDLINE_RE.match(text) or _SERVICE_RE.match(text):
        return text
    compact = text.replace("-", "")
    if _MOBILE_RE.match(compact):
        valid = _MOBILE_PREFIX_VALID.get(compact[:5])
        if valid is None:
            valid = _MOBILE_PREFIX_VALID[compact[:5]] = phonenumbers.is_valid_number(
                phonenumbers.parse(compact, "CN")
            )
        if not valid:
            raise InvalidIdentifier("电话号码无效")
        return compact
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("电话号码格式不正确") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidIdentifier("电话号码无效")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")
