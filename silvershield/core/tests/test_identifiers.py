"""Credit codes, ID numbers and phone numbers as officers type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from silvershield.core.identifiers import (
    USCC_ALPHABET,
    InvalidIdentifier,
    is_valid_uscc,
    uscc_check_character,
    validate_id_number,
    validate_phone,
    validate_uscc,
)


def with_check(code17: str) -> str:
    return code17 + uscc_check_character(code17)


def test_ordinary_company_code_is_valid():
    code = with_check("91150402MA0N2X3Y4")
    assert validate_uscc(code) == code


@pytest.mark.parametrize("first", ["A", "N", "Y", "5"])
def test_codes_registered_by_other_authorities_are_valid_though_stdnum_rejects_letters(first):
    code = with_check(f"{first}1150402MA0N2X3Y4")
    assert validate_uscc(code) == code
    if first.isalpha():
        # The reason we do not call stdnum's validate(): it rejects these real codes.
        assert not stdnum_uscc.is_valid(code)


def test_full_width_and_spaced_input_is_normalised():
    code = with_check("91150402MA0N2X3Y4")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert validate_uscc(full_width[:6] + " " + full_width[6:]) == code
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize(
    "value, words",
    [
        ("91150402MA0N2X3Y", "18位"),
        ("91150402MA0N2X3YI0", "不允许"),  # I is not in the alphabet
        ("911504A2MA0N2X3Y40", "行政区划"),
    ],
)
def test_bad_codes_say_what_is_wrong(value, words):
    with pytest.raises(InvalidIdentifier, match=words):
        validate_uscc(value)


def test_wrong_check_character_is_rejected():
    code = with_check("91150402MA0N2X3Y4")
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(InvalidIdentifier, match="校验位"):
        validate_uscc(code[:17] + wrong)


alphabet = st.sampled_from(USCC_ALPHABET)
digits = st.sampled_from("0123456789")


@given(
    head=st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    division=st.text(alphabet="0123456789", min_size=6, max_size=6),
    org=st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
    position=st.integers(min_value=0, max_value=17),
    replacement=alphabet,
)
def test_any_well_formed_code_validates_and_any_single_change_is_caught(head, division, org, position, replacement):
    code = with_check(head + division + org)
    assert is_valid_uscc(code)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert not is_valid_uscc(changed)


def test_id_number():
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    with pytest.raises(InvalidIdentifier):
        validate_id_number("110105194912310021")


@pytest.mark.parametrize("value", ["13804761234", "+86 138 0476 1234", "0476-8123456", "12315"])
def test_valid_phones(value):
    assert validate_phone(value)


@pytest.mark.parametrize("value", ["1380476", "abc", "23804761234"])
def test_invalid_phones(value):
    with pytest.raises(InvalidIdentifier):
        validate_phone(value)


def test_mobile_numbers_judged_by_prefix_agree_with_phonenumbers():
    import phonenumbers

    # Valid and invalid prefixes (134x is valid, 1400x is a data-only range phonenumbers rejects as a
    # phone, 1999x valid), full-width digits and dashes: the prefix cache answers as phonenumbers would.
    for raw in ["13491234567", "14001234567", "19991234567", "１３８０４７６１２３４", "138-0476-1234", "13804761234"]:
        compact = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "")
        expected = phonenumbers.is_valid_number(phonenumbers.parse(compact, "CN"))
        for _ in range(2):  # the second answer comes from the cache
            if expected:
                assert validate_phone(raw) == compact
            else:
                with pytest.raises(InvalidIdentifier):
                    validate_phone(raw)
