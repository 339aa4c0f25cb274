"""The attribute kind against contacts computed by hand: text, numbers stored as JSON numbers
or as text, ISO dates, and presence, the same on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.models import Contact
from audience.segments import compile_rules
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def matching(field, op, value=None, **extra):
    condition = {"kind": "attribute", "field": field, "op": op, **extra}
    if value is not None:
        condition["value"] = value
    rules = {"match": "all", "conditions": [condition]}
    found = Contact.objects.live().filter(compile_rules(rules, False))
    return set(found.values_list("first_name", flat=True))


@pytest.fixture
def people():
    today = timezone.localdate()
    ago = lambda days: (today - timedelta(days=days)).isoformat()  # noqa: E731
    make_contact(
        first_name="Anne",
        email="anne@example.fr",
        language="fr",
        attributes={"city": "Paris", "basket": 42.5, "visits": 3, "last_purchase": ago(2)},
    )
    make_contact(
        first_name="Bruno",
        email="bruno@example.com",
        language="en",
        # Imported from a file: numbers as text, one with a French decimal comma.
        attributes={"city": "paris", "basket": "120", "visits": "12", "last_purchase": ago(45)},
    )
    make_contact(
        first_name="Chloé",
        language="fr-CA",
        attributes={
            "city": "Lyon",
            "basket": "9,90",
            "visits": "many",
            "last_purchase": f"{ago(10)}T18:30:00+01:00",
        },
    )
    make_contact(first_name="Dan", attributes={"city": "", "basket": None, "last_purchase": "soon"})
    make_contact(first_name="Eve", attributes={"last_purchase": ago(-3)})  # in the future


def test_equals_on_text_ignores_case(people):
    assert matching("attributes.city", "equals", "PARIS") == {"Anne", "Bruno"}
    assert matching("language", "equals", "fr") == {"Anne"}
    # SQLite folds the case of ASCII letters only: the C here, not an accented letter.
    assert matching("first_name", "equals", "chloé") == {"Chloé"}


def test_equals_on_a_number_matches_json_numbers_and_numeric_text(people):
    assert matching("attributes.basket", "equals", 120) == {"Bruno"}
    assert matching("attributes.basket", "equals", 42.5) == {"Anne"}
    assert matching("attributes.basket", "equals", 9.9) == {"Chloé"}


def test_contains_and_in(people):
    assert matching("email", "contains", "EXAMPLE.FR") == {"Anne"}
    assert matching("language", "contains", "fr") == {"Anne", "Chloé"}
    assert matching("attributes.city", "in", ["lyon", "Paris"]) == {"Anne", "Bruno", "Chloé"}
    assert matching("attributes.visits", "in", [3, 12]) == {"Anne", "Bruno"}


def test_greater_and_less_than_compare_numbers_not_text(people):
    # As text "120" < "42.5" < "9,90"; as numbers 9.9 < 42.5 < 120.
    assert matching("attributes.basket", "gt", 40) == {"Anne", "Bruno"}
    assert matching("attributes.basket", "lt", 50) == {"Anne", "Chloé"}
    assert matching("attributes.visits", "gt", 5) == {"Bruno"}  # "many" is no number


def test_greater_and_less_than_compare_iso_dates(people):
    since = (timezone.localdate() - timedelta(days=20)).isoformat()
    assert matching("attributes.last_purchase", "gt", since) == {"Anne", "Chloé", "Eve"}
    assert matching("attributes.last_purchase", "lt", since) == {"Bruno"}


def test_within_days_keeps_iso_dates_of_the_last_n_days_up_to_today(people):
    assert matching("attributes.last_purchase", "within_days", 30) == {"Anne", "Chloé"}
    assert matching("attributes.last_purchase", "within_days", 60) == {"Anne", "Bruno", "Chloé"}
    assert matching("attributes.last_purchase", "within_days", 0) == set()


def test_is_set_means_present_not_null_and_not_empty(people):
    assert matching("attributes.city", "is_set", True) == {"Anne", "Bruno", "Chloé"}
    assert matching("attributes.city", "is_set", False) == {"Dan", "Eve"}
    assert matching("attributes.basket", "is_set") == {"Anne", "Bruno", "Chloé"}
    assert matching("email", "is_set", True) == {"Anne", "Bruno"}
    assert matching("email", "is_set", False) == {"Chloé", "Dan", "Eve"}


def test_an_attribute_key_with_dots_spaces_and_quotes_is_one_key():
    make_contact(first_name="Anne", attributes={"date d'achat.v2": "x", "date d'achat": "y"})
    make_contact(first_name="Bruno", attributes={"date d'achat": "x"})
    assert matching("attributes.date d'achat.v2", "equals", "x") == {"Anne"}
