"""A batch works out each number's destination once, with the answers of the slow way."""

from hypothesis import given, settings
from hypothesis import strategies as st

from audience.destinations import check_destination, destination_country
from sending.services.batch_render import Destinations

NUMBERS = [
    "+33612345678",  # French mobile
    "+33712345678",
    "+33123456789",  # French landline
    "+33899123456",  # premium rate
    "+33912345678",  # internet box (VoIP)
    "+590690123456",  # Guadeloupe mobile
    "+447700900123",  # United Kingdom mobile
    "+12025550123",  # United States
    "+8816123456789",  # satellite
]


def slow(phone):
    refusal = check_destination(phone)
    return (refusal, destination_country(phone))


def test_known_numbers_get_the_answers_of_check_destination():
    places = Destinations()
    for phone in NUMBERS:
        assert places.look(phone) == slow(phone), phone
        # Asked again: the answer kept.
        assert places.refusal(phone) == slow(phone)[0]
        assert places.country(phone) == slow(phone)[1]


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(["+336", "+337", "+331", "+338", "+339", "+335"]),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
)
def test_french_numbers_fast_or_slow_get_the_same_answer(prefix, rest):
    phone = prefix + rest
    assert Destinations().look(phone) == slow(phone)


def test_a_country_the_installation_does_not_send_to_is_refused(settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["BE"]
    refusal, country = Destinations().look("+33612345678")
    assert (refusal.code, country) == ("country_not_allowed", "FR")
