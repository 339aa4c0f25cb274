"""Which phone numbers Relais may send to: allowed countries, and numbers that can receive SMS.

SMS pumping and toll fraud make a sender pay for messages to numbers the attacker profits
from (premium-rate, far-away countries, satellite phones) or that no person reads
(landlines, freephone). Every way a number enters Relais asks check_destination() first:
the send API, the capability check, the editor's test send and the contact import (through
check_phone; audience/imports/phones.py answers for common French mobiles with the same
rules, checked once per import; a refused row is reported with its message, not imported).
"""

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumbers import PhoneNumberType, geocoder

# Mobile numbers, and numbers the numbering plan cannot tell from mobiles (the United States
# and Canada, where landlines and mobiles share area codes). VOIP is refused: in France
# +33 9 numbers are internet-box lines that take no SMS, and elsewhere virtual numbers are
# what SMS pumping rings rent by the thousand.
SMS_CAPABLE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

# How a refused kind of number is named to the person who typed it.
KIND_NAMES = {
    PhoneNumberType.FIXED_LINE: gettext_lazy("a landline"),
    PhoneNumberType.PREMIUM_RATE: gettext_lazy("a premium-rate number"),
    PhoneNumberType.TOLL_FREE: gettext_lazy("a freephone number"),
    PhoneNumberType.SHARED_COST: gettext_lazy("a shared-cost number"),
    PhoneNumberType.VOIP: gettext_lazy("an internet (VoIP) number"),
    PhoneNumberType.PERSONAL_NUMBER: gettext_lazy("a personal forwarding number"),
    PhoneNumberType.PAGER: gettext_lazy("a pager"),
    PhoneNumberType.UAN: gettext_lazy("a company switchboard number"),
    PhoneNumberType.VOICEMAIL: gettext_lazy("a voicemail access number"),
}

# phonenumbers' region for numbers of no country (satellite phones +881, +882, ...).
NON_GEOGRAPHIC = "001"


@dataclass(frozen=True)
class DestinationRefused:
    """Why a number may not receive messages: a stable code and a sentence naming the cause."""

    code: str  # country_not_allowed or not_a_mobile_number
    message: str
    country: str  # ISO region code, "001" for satellite and other non-geographic numbers
    kind: str = ""  # phonenumbers' type name (FIXED_LINE, PREMIUM_RATE, ...) when it is the cause


def destination_country(e164):
    """The ISO region code of an E.164 number ("FR", "GP", "US"; "001" for satellite phones)."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or NON_GEOGRAPHIC


def check_destination(e164):
    """Return a DestinationRefused when the E.164 number may not receive messages, else None.

    The number must be in one of SENDING_ALLOWED_COUNTRIES and be a mobile (or a number its
    numbering plan cannot tell from one). Call it after normalize_phone().
    """
    parsed = phonenumbers.parse(e164, None)
    shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    country = phonenumbers.region_code_for_number(parsed) or NON_GEOGRAPHIC
    if country not in settings.SENDING_ALLOWED_COUNTRIES:
        return DestinationRefused(
            "country_not_allowed",
            _("%(number)s is in %(country)s, where this installation does not send messages.")
            % {"number": shown, "country": _country_name(parsed, country)},
            country,
        )
    kind = phonenumbers.number_type(parsed)
    if kind not in SMS_CAPABLE_TYPES:
        name = KIND_NAMES.get(kind, gettext_lazy("a number of unknown kind"))
        return DestinationRefused(
            "not_a_mobile_number",
            _("%(number)s is %(kind)s: SMS cannot reach it, send to a mobile number.")
            % {"number": shown, "kind": name},
            country,
            _kind_name(kind),
        )
    return None


def _country_name(parsed, country):
    if country == NON_GEOGRAPHIC:
        return _("a satellite or international network (+%(code)s)") % {"code": parsed.country_code}
    # Empty when a calling code is shared (+590: Guadeloupe, Saint-Barthélemy, Saint-Martin).
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    name = geocoder.country_name_for_number(parsed, language)
    return f"{name} ({country})" if name else country


def _kind_name(kind):
    for name, value in vars(PhoneNumberType).items():
        if name.isupper() and value == kind:
            return name
    return "UNKNOWN"
