"""The phone number of each imported row, checked as check_phone would, fast.

Parsing and typing a number with phonenumbers costs tens of microseconds, most of an import's
Python time. Nearly all numbers of a French customer file are French mobiles written in a few
forms (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033612345678): those are read
with one regular expression and typed with the numbering plan's own patterns, taken from
phonenumbers' metadata, so the answer is the one phonenumbers gives
(tests/audience/test_import_phones.py checks it over generated numbers). Any other number
goes the slow way, and its answer is remembered for the numbers a file repeats.
"""

import re

import phonenumbers
from django.conf import settings

from audience.destinations import SMS_CAPABLE_TYPES
from audience.intake import ContactRefused, check_phone

# A national (0), +33 or 0033 prefix, then a 9-digit number starting with 6 or 7, digits
# optionally separated by one space, dot or hyphen. ASCII digits only: others go the slow way.
FRENCH_MOBILE_FORM = re.compile(r"(?:\+33|0033|0)[ .\-]?([67](?:[ .\-]?[0-9]){8})")
SEPARATORS = str.maketrans("", "", " .-")
# Types phonenumbers tries before fixed line and mobile (_number_type_helper's order): a
# number matching one of these is not typed as a mobile.
TYPES_BEFORE_MOBILE = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
# Slow answers kept for repeated numbers; the memo starts again past this many (memory stays
# flat). The fast path's answers are not kept: working one out again costs less.
MEMO_SIZE = 10_000


def _matching(desc, length):
    """The desc's pattern as a regular expression for numbers of this length, None when no
    number of that length matches it."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return f"(?:{desc.national_number_pattern})"


def french_mobile_pattern():
    """A regular expression that fully matches the 9-digit French numbers phonenumbers types as
    MOBILE or FIXED_LINE_OR_MOBILE, or None when the metadata is not as expected."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    if metadata is None or metadata.same_mobile_and_fixed_line_pattern:
        return None
    general = _matching(metadata.general_desc, 9)
    mobile = _matching(metadata.mobile, 9)
    if general is None or mobile is None:
        return None
    others = [_matching(getattr(metadata, name), 9) for name in TYPES_BEFORE_MOBILE]
    refused = "".join(f"(?!{pattern}$)" for pattern in others if pattern)
    # Matching fixed line too makes it FIXED_LINE_OR_MOBILE: accepted all the same.
    return re.compile(f"(?={general}$){refused}{mobile}")


class PhoneChecker:
    """check(raw): the E.164 form of a number Relais may message, or ContactRefused, the same
    answer as check_phone(raw) under the settings of the moment it is made (the default region,
    SENDING_ALLOWED_COUNTRIES)."""

    def __init__(self):
        self.region = getattr(settings, "PHONENUMBER_DEFAULT_REGION", "FR")
        self.countries = frozenset(settings.SENDING_ALLOWED_COUNTRIES)
        # The destination rules, checked once for the whole prefix rather than per row.
        fast = (
            self.region == "FR"
            and "FR" in self.countries
            and phonenumbers.region_codes_for_country_code(33) == ("FR",)
        )
        self.mobile = french_mobile_pattern() if fast else None
        self.memo = {}

    def check(self, raw):
        phone = self.fast(raw)
        if phone is not None:
            return phone
        answer = self.memo.get(raw)
        if answer is None:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            answer = self.memo[raw] = self._slow_answer(raw)
        if isinstance(answer, str):
            return answer
        raise ContactRefused(*answer)

    def fast(self, raw):
        """The E.164 form of a French mobile in a common form, None for any other input."""
        if self.mobile is None:
            return None
        form = FRENCH_MOBILE_FORM.fullmatch(raw)
        if form is None:
            return None
        number = form.group(1).translate(SEPARATORS)
        return "+33" + number if self.mobile.fullmatch(number) else None

    def slow(self, raw):
        """The phonenumbers way: parsed and typed once for a good number, check_phone (with its
        reasons) for any other."""
        try:
            parsed = phonenumbers.parse(raw, self.region)
        except phonenumbers.NumberParseException:
            parsed = None
        if (
            parsed is not None
            and phonenumbers.number_type(parsed) in SMS_CAPABLE_TYPES
            and phonenumbers.region_code_for_number(parsed) in self.countries
        ):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return check_phone(raw)

    def _slow_answer(self, raw):
        """The E.164 form, or the (field, code, message) of the refusal."""
        try:
            return self.slow(raw)
        except ContactRefused as refused:
            return (refused.field, refused.code, refused.message)
