"""check_destination: only mobiles in the allowed countries may receive messages."""

import pytest

from audience.destinations import check_destination, destination_country
from tests.support.sending import ALWAYS_RCS, NEVER_RCS, PERMANENT_FAILURE, REPLIES_STOP

# One number of each kind the guard refuses, with the code and the kind it names.
REFUSED = [
    ("+33142685300", "not_a_mobile_number", "FIXED_LINE", "landline"),
    ("+33899123456", "not_a_mobile_number", "PREMIUM_RATE", "premium-rate"),
    ("+33800123456", "not_a_mobile_number", "TOLL_FREE", "freephone"),
    ("+33810123456", "not_a_mobile_number", "SHARED_COST", "shared-cost"),
    ("+33912345678", "not_a_mobile_number", "VOIP", "VoIP"),
    ("+590590123456", "not_a_mobile_number", "FIXED_LINE", "landline"),
    ("+14155552671", "country_not_allowed", "", "United States (US)"),
    ("+447400123456", "country_not_allowed", "", "United Kingdom (GB)"),
    ("+881612345678", "country_not_allowed", "", "satellite"),
    ("+687751234", "country_not_allowed", "", "NC"),
]


@pytest.mark.parametrize(("number", "code", "kind", "named"), REFUSED)
def test_refused_numbers_get_a_code_and_a_sentence_naming_the_cause(
    english, number, code, kind, named
):
    refusal = check_destination(number)
    assert refusal is not None
    assert (refusal.code, refusal.kind) == (code, kind)
    assert named in refusal.message


def test_a_landline_is_named_in_its_international_form(english):
    refusal = check_destination("+33142685300")
    assert refusal.message == (
        "+33 1 42 68 53 00 is a landline: SMS cannot reach it, send to a mobile number."
    )


@pytest.mark.parametrize(
    "number",
    [
        ALWAYS_RCS,
        NEVER_RCS,
        PERMANENT_FAILURE,
        REPLIES_STOP,
        "+33612345678",
        "+33612345679",
        "+33687654321",
        "+33600000001",
        "+590690123456",  # Guadeloupe
        "+596696123456",  # Martinique
        "+594694123456",  # French Guiana
        "+262692123456",  # Réunion
        "+508551234",  # Saint-Pierre-et-Miquelon
    ],
)
def test_french_and_overseas_mobiles_and_the_simulator_test_numbers_are_accepted(number):
    assert check_destination(number) is None


def test_the_allowed_countries_come_from_settings(settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["FR", "US"]
    # The United States cannot tell mobiles from landlines: such numbers are accepted.
    assert check_destination("+14155552671") is None
    assert check_destination("+590690123456").code == "country_not_allowed"
    settings.SENDING_ALLOWED_COUNTRIES = ["GP"]
    assert check_destination("+33612345678").code == "country_not_allowed"


def test_the_country_of_a_number_shares_its_calling_code_correctly():
    assert destination_country("+262692123456") == "RE"
    assert destination_country("+590690123456") == "GP"
    assert destination_country("+881612345678") == "001"
