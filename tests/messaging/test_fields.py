"""fit: a value from outside is cut to its column's length instead of failing the save."""

from messaging.fields import fit
from sending.models import Event


def test_a_long_value_is_cut_to_the_fields_max_length():
    assert fit(Event, "cta_id", "c" * 100) == "c" * 64
    assert fit(Event, "provider_event_id", "e" * 300) == "e" * 255


def test_a_short_value_is_kept_whole():
    assert fit(Event, "number", "+33612345678") == "+33612345678"
