"""Tracked-link codes and click ids: round trips, and every altered or hostile code refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messaging import links

KEY = links.derive_key("a test secret that is long enough for relais links")
OTHER_KEY = links.derive_key("another secret, as after a key change on the server!")

numbers = st.integers(min_value=1, max_value=2**63 - 1)
ctas = st.integers(min_value=0, max_value=links.CTA_LIMIT - 1)
times = st.integers(min_value=0, max_value=links.TIME_LIMIT - 1)


@given(numbers, ctas)
def test_a_code_decodes_to_its_message_and_cta(number, cta):
    code = links.encode(number, cta, KEY)
    assert links.decode(code, KEY) == (number, cta)
    assert code.isalnum() and code.isascii()


def test_codes_stay_short():
    assert len(links.encode(1_000_000_000, 63, KEY)) == 7 + links.LINK_MAC_LENGTH
    assert len(links.encode(12_345, 2, KEY)) <= 11


@given(numbers, ctas, st.data())
def test_any_single_character_change_is_refused(number, cta, data):
    code = links.encode(number, cta, KEY)
    position = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    replacement = data.draw(st.sampled_from(links.ALPHABET).filter(lambda c: c != code[position]))
    altered = code[:position] + replacement + code[position + 1 :]
    assert links.decode(altered, KEY) is None


@given(numbers, ctas, st.data())
def test_a_truncated_or_lengthened_code_is_refused(number, cta, data):
    code = links.encode(number, cta, KEY)
    cut = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    assert links.decode(code[:cut], KEY) is None
    assert links.decode(code[len(code) - cut :] if cut else "", KEY) is None
    assert links.decode(code + data.draw(st.sampled_from(links.ALPHABET)), KEY) is None


@given(numbers, ctas)
def test_a_code_signed_with_another_key_is_refused(number, cta):
    assert links.decode(links.encode(number, cta, OTHER_KEY), KEY) is None


@pytest.mark.parametrize(
    "code",
    [
        "",
        "0",
        "abc",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "é" * 12,
        "a" * 200,
        "AAAAAAA-AAAAAAA",
        "AAAAAAA_AAAAAAA",
        None,
        12345,
    ],
)
def test_hostile_codes_are_refused(code):
    assert links.decode(code, KEY) is None


def test_a_leading_zero_spelling_is_refused():
    code = links.encode(99, 1, KEY)
    assert links.decode("0" + code, KEY) is None


@given(numbers, ctas, times)
def test_a_click_id_names_message_cta_and_time(number, cta, at):
    value = links.click_id(number, cta, at, KEY)
    assert links.read_click_id(value, KEY) == (number, cta, at)


@given(numbers, ctas, times, st.data())
def test_an_altered_click_id_is_refused(number, cta, at, data):
    value = links.click_id(number, cta, at, KEY)
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    replacement = data.draw(st.sampled_from(links.ALPHABET).filter(lambda c: c != value[position]))
    assert links.read_click_id(value[:position] + replacement + value[position + 1 :], KEY) is None
    assert links.read_click_id(value[:-1], KEY) is None


@given(numbers, ctas)
def test_a_link_code_is_not_a_click_id_nor_the_reverse(number, cta):
    assert links.read_click_id(links.encode(number, cta, KEY), KEY) is None
    assert links.decode(links.click_id(number, cta, 1_700_000_000, KEY), KEY) is None


@pytest.mark.parametrize("number, cta", [(0, 0), (-1, 0), (1, -1), (1, links.CTA_LIMIT), (1.5, 0)])
def test_out_of_range_inputs_are_a_programming_error(number, cta):
    with pytest.raises(ValueError):
        links.encode(number, cta, KEY)
