"""The import's fast path for French mobiles gives phonenumbers' answer, whatever the input."""

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from audience.imports.phones import MEMO_SIZE, PhoneChecker
from audience.intake import ContactRefused

PROPERTY = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))

# The forms of the fast path, and their near misses.
PREFIXES = ["0", "+33", "0033", "+33 ", "0033 ", "0 ", "+33.", "+330", "+33 0", "33", "00 33"]
PREFIXES += ["+33(0)", "0033-", "+44", "+262", "00", "", "+ 33", "0O", "٠"]
SEPARATORS = ["", " ", ".", "-", "  ", "/", "–", "\u00a0", ". ", "(", "x"]
FIRST_DIGITS = "66667777012345789"


@st.composite
def french_like(draw):
    """A number as a customer file may hold one: a prefix, a first digit (mostly 6 or 7), then
    eight digits grouped and separated in any way, at times one digit too few or too many."""
    prefix = draw(st.sampled_from(PREFIXES))
    digits = draw(st.sampled_from(FIRST_DIGITS)) + draw(
        st.text(alphabet="0123456789", min_size=7, max_size=9)
    )
    separator = draw(st.sampled_from(SEPARATORS))
    mixed = draw(st.booleans())
    parts = [digits[0]]
    for digit in digits[1:]:
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(SEPARATORS)) if mixed else separator)
        parts.append(digit)
    return prefix + "".join(parts)


JUNK = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789 +.-()/", max_size=20),
    st.from_regex(r"\A[+0]?[0-9 .]{8,16}\Z"),
)


def old_answer(checker, raw):
    """What the import gave before the fast path: phonenumbers, then check_phone's reasons."""
    try:
        return checker.slow(raw)
    except ContactRefused as refused:
        return (refused.code, refused.message)


def answer(checker, raw):
    try:
        return checker.check(raw)
    except ContactRefused as refused:
        return (refused.code, refused.message)


@pytest.fixture(scope="module")
def checker():
    # The default settings: numbers read in France, France and its overseas regions allowed.
    return PhoneChecker()


@PROPERTY
@given(raw=st.one_of(french_like(), JUNK))
@example(raw="06 39 12 34 56")  # 639: not a mobile range
@example(raw="07 00 12 34 56")  # 070: not a mobile range
@example(raw="+33 6 12 34 56 78")
@example(raw="0033.7.51.23.45.67")
@example(raw="06-12-34-56-78")
@example(raw="+3306 12 34 56 78")
@example(raw="06 12 34 56 78 9")
@example(raw="06 12 34 56 ٧٨")
def test_the_fast_path_gives_the_slow_paths_answer(checker, raw):
    raw = raw.strip()
    fast = checker.fast(raw)
    if fast is not None:
        assert fast == checker.slow(raw)
    assert answer(checker, raw) == old_answer(checker, raw)
    # Asked again, the memo gives the same answer.
    assert answer(checker, raw) == old_answer(checker, raw)


@pytest.mark.parametrize(
    "raw",
    ["0612345678", "06 12 34 56 78", "06.12.34.56.78", "+33612345678", "+33 7 51 23 45 67"]
    + ["0033612345678", "0033 6 12 34 56 78", "07-51-23-45-67"],
)
def test_the_common_french_mobile_forms_take_the_fast_path(checker, raw):
    e164 = phonenumbers.format_number(
        phonenumbers.parse(raw, "FR"), phonenumbers.PhoneNumberFormat.E164
    )
    assert checker.fast(raw) == e164


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("06 39 12 34 56", "invalid_phone"),  # no type of number starts 639
        ("01 23 45 67 89", "not_a_mobile_number"),
        ("09 51 23 45 67", "not_a_mobile_number"),
        ("12345", "invalid_phone"),
        ("+44 7911 123456", "country_not_allowed"),
    ],
)
def test_numbers_off_the_fast_path_keep_their_reason(checker, raw, code):
    assert checker.fast(raw) is None
    with pytest.raises(ContactRefused) as refused:
        checker.check(raw)
    assert refused.value.code == code


def test_without_france_among_the_allowed_countries_no_number_takes_the_fast_path(settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["GP"]
    checker = PhoneChecker()
    assert checker.fast("06 12 34 56 78") is None
    with pytest.raises(ContactRefused) as refused:
        checker.check("06 12 34 56 78")
    assert refused.value.code == "country_not_allowed"


def test_read_in_another_region_numbers_go_the_slow_way(settings):
    settings.PHONENUMBER_DEFAULT_REGION = "BE"
    checker = PhoneChecker()
    assert checker.fast("+33612345678") is None
    assert checker.check("+33612345678") == "+33612345678"
    with pytest.raises(ContactRefused):
        checker.check("0612345678")  # a Belgian national number, not a mobile


def test_the_memo_stays_bounded(checker):
    fresh = PhoneChecker()
    for index in range(MEMO_SIZE + 10):
        with pytest.raises(ContactRefused):
            fresh.check(f"+44 7911 {index:06d}")  # the slow way: a country not allowed
    assert 0 < len(fresh.memo) <= MEMO_SIZE
