"""The review's destination counts, French mobiles in SQL and the rest in Python, give the
answers check_destination gives number by number."""

import random
from collections import Counter

import pytest

from audience.destinations import check_destination, destination_country
from audience.models import Contact
from campaigns.services.destinations import check_destinations, french_mobiles_regex

pytestmark = pytest.mark.django_db


def _numbers(count=3000):
    """French numbers of every first digit (mobiles, landlines, VoIP, premium rate...), overseas
    departments and other countries, some not allowed."""
    pick = random.Random(12)
    prefixes = ["+331", "+332", "+334", "+335", "+336", "+337", "+338", "+339"]
    prefixes += ["+590690", "+262692", "+596696", "+44 7", "+1415", "+8816", "+3247"]
    numbers = set()
    while len(numbers) < count:
        prefix = pick.choice(prefixes).replace(" ", "")
        digits = 12 - len(prefix) if prefix.startswith("+33") else 13 - len(prefix)
        numbers.add(prefix + "".join(pick.choice("0123456789") for _ in range(digits)))
    return sorted(numbers)


def _contacts(numbers):
    Contact.objects.bulk_create([Contact(phone=n, test_mode=True) for n in numbers])
    return Contact.objects.filter(test_mode=True)


def test_the_counts_match_check_destination_number_by_number():
    numbers = _numbers()
    contacts = _contacts(numbers)

    counts = check_destinations(contacts)

    expected, countries = Counter(), set()
    for number in numbers:
        refusal = check_destination(number)
        if refusal is None:
            countries.add(destination_country(number))
        else:
            expected[refusal.code] += 1
    assert counts.refused == expected
    assert counts.countries == countries
    assert len(counts.refused_ids) == sum(expected.values())
    refused_phones = set(contacts.filter(pk__in=counts.refused_ids).values_list("phone", flat=True))
    assert refused_phones == {n for n in numbers if check_destination(n) is not None}


def test_every_number_the_sql_takes_is_a_french_mobile_the_rule_accepts():
    numbers = _numbers()
    contacts = _contacts(numbers)

    matched = list(contacts.filter(phone__regex=french_mobiles_regex()).values_list("phone"))

    assert len(matched) > 200  # the fast path does the bulk of a French audience
    for (number,) in matched:
        assert check_destination(number) is None
        assert destination_country(number) == "FR"


def test_without_france_allowed_every_number_goes_the_slow_way(settings):
    settings.SENDING_ALLOWED_COUNTRIES = ["GP", "RE"]
    contacts = _contacts(["+33612345678", "+590690123456"])

    counts = check_destinations(contacts)

    assert french_mobiles_regex() is None
    assert counts.refused == Counter(country_not_allowed=1)
    assert counts.countries == {"GP"}
