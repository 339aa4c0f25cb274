"""The destination rule (audience.destinations.check_destination) over a whole audience, in SQL
where it can be.

Typing a number with phonenumbers costs tens of microseconds in Python: seconds for a
million contacts. Nearly every number of a French audience is a French mobile, and the
numbering plan's own patterns for those (audience.imports.phones.french_mobile_pattern, taken
from phonenumbers' metadata) are a regular expression PostgreSQL runs as it reads the rows: they
are counted in SQL, never fetched. Only the other numbers (landlines, overseas departments,
other countries) go through check_destination, in one pass over (id, phone) in chunks; the
numbering plans of the other countries are not expressed in SQL.
"""

import functools
from collections import Counter
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings

from audience.destinations import check_destination, destination_country
from audience.imports.phones import french_mobile_pattern

CHUNK = 5000


@dataclass
class DestinationCounts:
    """What the rule says about an audience: refusals by reason, their ids, the countries of the
    numbers it may send to."""

    refused: Counter = field(default_factory=Counter)
    refused_ids: list = field(default_factory=list)
    countries: set = field(default_factory=set)


@functools.cache
def _french_mobiles_regex():
    pattern = french_mobile_pattern()
    if pattern is None or phonenumbers.region_codes_for_country_code(33) != ("FR",):
        return None
    return rf"^\+33{pattern.pattern}$"


def french_mobiles_regex():
    """The regular expression (PostgreSQL's and Python's alike) of the E.164 numbers that are
    French mobiles, or None when French numbers may not be sent to or the metadata differs."""
    if "FR" not in settings.SENDING_ALLOWED_COUNTRIES:
        return None
    return _french_mobiles_regex()


def check_destinations(contacts) -> DestinationCounts:
    """Apply check_destination to every contact of the queryset: French mobiles in SQL, the
    others one by one."""
    counts = DestinationCounts()
    others = contacts
    regex = french_mobiles_regex()
    if regex is not None:
        if contacts.filter(phone__regex=regex).exists():
            counts.countries.add("FR")
        others = contacts.exclude(phone__regex=regex)
    other = check_other_destinations(others)
    counts.refused, counts.refused_ids = other.refused, other.refused_ids
    counts.countries |= other.countries
    return counts


def check_other_destinations(contacts) -> DestinationCounts:
    """check_destination on every contact of the queryset, in one pass over (id, phone): for
    the numbers SQL does not type (not French mobiles)."""
    counts = DestinationCounts()
    for pk, phone in contacts.values_list("pk", "phone").iterator(chunk_size=CHUNK):
        refusal = check_destination(phone)
        if refusal is not None:
            counts.refused_ids.append(pk)
            counts.refused[refusal.code] += 1
        else:
            counts.countries.add(destination_country(phone))
    return counts
