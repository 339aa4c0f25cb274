"""Quiet hours for promotions: when a promotional message may reach a phone, per country.

QUIET_HOURS_POLICY names the installation's rules. "fr" (the default) follows the French
practice for marketing SMS: Monday to Saturday, 08:00 to 20:00 in the recipient's local time,
never on a Sunday or a French public holiday (the `holidays` package; overseas departments
and collectivities get their own time zone and their own extra holidays). "none" keeps every
hour open. A country the rules do not name gets the rules' default window (for "fr":
mainland France, Europe/Paris time): Relais sends to the countries SENDING_ALLOWED_COUNTRIES
lets through, and an installation that sends elsewhere adds a Window for that country here.

Only promotions wait (`applies_to`); the caller decides what else is exempt (the editor's
test sends). A promotion due in a closed window waits for `next_open`, which is computed in
the window's own time zone, so 08:00 stays 08:00 local on both sides of a DST change.
"""

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from messaging.providers.normalized import TrafficType

MONDAY_TO_SATURDAY = frozenset(range(6))  # date.weekday(): Monday is 0, Sunday 6
# No window stays shut longer than this (a week and a run of holidays): a safety bound.
LOOKAHEAD_DAYS = 31


@dataclass(frozen=True)
class Window:
    """When promotions may go in one place: the days, the hours (local time) and the public
    holidays (a `holidays` country and subdivision) on which the window stays closed."""

    time_zone: str
    opens: time = time(8)
    closes: time = time(20)
    weekdays: frozenset = MONDAY_TO_SATURDAY
    holiday_country: str | None = "FR"
    holiday_subdivision: str | None = None
    always_open: bool = field(default=False)

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    def is_open_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return day not in _holidays(self.holiday_country, self.holiday_subdivision)

    def is_open(self, at: datetime) -> bool:
        if self.always_open:
            return True
        local = _aware(at).astimezone(self.zone)
        return self.is_open_day(local.date()) and self.opens <= local.time() < self.closes

    def next_open(self, at: datetime) -> datetime:
        """at itself when open, else the next opening (aware, UTC)."""
        at = _aware(at)
        if self.is_open(at):
            return at.astimezone(UTC)
        local = at.astimezone(self.zone)
        day = local.date()
        if local.time() >= self.opens:
            day += timedelta(days=1)
        for _ in range(LOOKAHEAD_DAYS):
            if self.is_open_day(day):
                # Local wall time: 08:00 is 07:00 UTC in winter and 06:00 UTC in summer.
                return datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC)
            day += timedelta(days=1)
        raise ValueError(f"The quiet-hours window in {self.time_zone} never opens.")


@dataclass(frozen=True)
class Rules:
    """An installation's quiet hours: a window per country, and one for every other country."""

    default: Window
    countries: dict = field(default_factory=dict)

    def window_for(self, country_code):
        return self.countries.get((country_code or "").upper(), self.default)


def _french(time_zone, subdivision=None):
    return Window(time_zone, holiday_country="FR", holiday_subdivision=subdivision)


MAINLAND_FRANCE = _french("Europe/Paris")
ALWAYS_OPEN = Window("UTC", holiday_country=None, always_open=True)

RULES = {
    "fr": Rules(
        default=MAINLAND_FRANCE,
        countries={
            "FR": MAINLAND_FRANCE,
            # Phone numbers of the overseas departments and collectivities have their own
            # region codes; `holidays` knows their extra days (abolition of slavery...).
            "GP": _french("America/Guadeloupe", "971"),
            "MQ": _french("America/Martinique", "972"),
            "GF": _french("America/Cayenne", "973"),
            "RE": _french("Indian/Reunion", "974"),
            "YT": _french("Indian/Mayotte", "976"),
            "PM": _french("America/Miquelon", "PM"),
            "BL": _french("America/St_Barthelemy", "BL"),
            "MF": _french("America/Marigot", "MF"),
        },
    ),
    "none": Rules(default=ALWAYS_OPEN),
}


@functools.cache
def _holidays(country, subdivision):
    if country is None:
        return {}
    # Years are added as they are asked for (the object expands itself).
    return holidays.country_holidays(country, subdiv=subdivision)


def _aware(at):
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("Quiet hours need an aware datetime (django.utils.timezone.now()).")
    return at


def rules():
    """The installation's Rules, named by QUIET_HOURS_POLICY."""
    name = settings.QUIET_HOURS_POLICY
    try:
        return RULES[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"QUIET_HOURS_POLICY must be one of {', '.join(sorted(RULES))}, got {name!r}."
        ) from None


def policy_for(country_code) -> Window:
    """The window for a destination country (ISO code, "FR"); the default one when unnamed."""
    return rules().window_for(country_code)


def applies_to(traffic_type) -> bool:
    """True for the traffic quiet hours hold back: promotions. Transactional traffic is exempt."""
    return traffic_type == TrafficType.PROMOTION


def is_open(country_code, at: datetime) -> bool:
    """True when a promotion to country_code may go out at `at` (aware)."""
    return policy_for(country_code).is_open(at)


def next_open(country_code, at: datetime) -> datetime:
    """When a promotion to country_code may go out: `at` itself when open, else the next
    opening, as an aware UTC datetime."""
    return policy_for(country_code).next_open(at)


def closed_until(country_codes, at: datetime) -> dict:
    """{country: next opening (UTC)} for those of country_codes whose window is closed at `at`
    (a batch's check: one answer per distinct country; open countries are left out)."""
    answers = {}
    for country in set(country_codes):
        opens = next_open(country, at)
        if opens > at:
            answers[country] = opens
    return answers
