"""One file row checked and cleaned into what the writer needs, or refused with a reason."""

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from audience.imports.mapping import ATTRIBUTE, PHONE, claims_consent
from audience.imports.mapping import simplify as simplify_once
from audience.imports.phones import PhoneChecker
from audience.intake import CLOCK_SKEW, ContactRefused
from audience.models import ConsentEntry

OPT_IN_WORDS = {
    "optin",
    "oui",
    "yes",
    "y",
    "o",
    "1",
    "true",
    "vrai",
    "x",
    "accepte",
    "inscrit",
    "subscribed",
    "consent",
    "consenti",
}
OPT_OUT_WORDS = {
    "optout",
    "non",
    "no",
    "n",
    "0",
    "false",
    "faux",
    "refus",
    "refuse",
    "desinscrit",
    "unsubscribed",
    "stop",
}
CHANNEL_WORDS = {
    "": "all",
    "all": "all",
    "tous": "all",
    "toutes": "all",
    "smsrcs": "all",
    "rcssms": "all",
    "sms": "sms",
    "rcs": "rcs",
}
# The words of consent columns repeat from row to row: each is simplified once.
simplify = functools.lru_cache(maxsize=4096)(simplify_once)
FRENCH_DATES = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", re.IGNORECASE)
LANGUAGE_NAMES = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "email": 254}
# A file's source naming one of the ledger's own ("web_form", "Web form") is kept as such.
SOURCES = {
    simplify(choice.value): choice.value
    for choice in ConsentEntry.Source
    if choice != ConsentEntry.Source.ERASURE
}


@dataclass
class Consent:
    kind: str
    channel: str
    source: str
    source_text: str
    wording: str
    occurred_at: datetime
    # False when the file gave no date: the entry is dated by the import, and a re-import
    # finds it again by its other fields.
    dated: bool


@dataclass
class CleanRow:
    line: int
    phone: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    language: str = ""
    attributes: dict = field(default_factory=dict)
    consent: Consent | None = None


@dataclass
class Rejected:
    line: int
    cells: list
    code: str
    reason: str


class RowReader:
    """Turns the cells of one row into a CleanRow, or a Rejected naming what is wrong."""

    def __init__(self, mapping, *, now=None):
        self.mapping = mapping
        self.now = now or timezone.now()
        self.proves_consent = claims_consent(mapping)
        self.phones = PhoneChecker()
        self.opt_ins_unproven = 0
        # Which cell goes where, worked out once for the file rather than for each cell.
        named = [(index, name) for index, name in enumerate(mapping) if name]
        self.fields = [(index, name) for index, name in named if not name.startswith(ATTRIBUTE)]
        self.attributes = [
            (index, name.removeprefix(ATTRIBUTE))
            for index, name in named
            if name.startswith(ATTRIBUTE)
        ]

    def read(self, line, cells):
        count = len(cells)
        values = {
            name: cells[index].strip() if index < count else "" for index, name in self.fields
        }
        attributes = {}
        for index, name in self.attributes:
            if index < count and (value := cells[index].strip()):
                attributes[name] = value
        try:
            return self._clean(line, values, attributes)
        except ContactRefused as refused:
            return Rejected(line, cells, refused.code, refused.message)

    def _clean(self, line, values, attributes):
        raw_phone = values.get(PHONE, "")
        if not raw_phone:
            raise ContactRefused(PHONE, "missing_phone", _("No phone number in this row."))
        row = CleanRow(line, self.phones.check(raw_phone), attributes=attributes)
        for name, limit in MAX_LENGTHS.items():
            if len(values.get(name, "")) > limit:
                raise ContactRefused(
                    name,
                    "too_long",
                    _("The %(field)s is longer than %(limit)d characters.")
                    % {"field": name.replace("_", " "), "limit": limit},
                )
        row.first_name = values.get("first_name", "")
        row.last_name = values.get("last_name", "")
        row.email = self._email(values.get("email", ""))
        row.language = self._language(values.get("language", ""))
        row.consent = self._consent(values)
        return row

    def _email(self, value):
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ContactRefused(
                    "email",
                    "invalid_email",
                    _("“%(email)s” is not an email address.") % {"email": value},
                ) from None
        return value.lower()

    def _language(self, value):
        value = LANGUAGE_NAMES.get(simplify(value), value)
        if value and not LANGUAGE_TAG.match(value):
            raise ContactRefused(
                "language",
                "invalid_language",
                _("“%(value)s” is not a language code such as fr or en.") % {"value": value},
            )
        return value.lower()

    def _consent(self, values):
        status = simplify(values.get("consent_status", ""))
        if not status:
            return None
        if status in OPT_IN_WORDS:
            kind = ConsentEntry.Kind.OPT_IN
        elif status in OPT_OUT_WORDS:
            kind = ConsentEntry.Kind.OPT_OUT
        else:
            raise self._bad_consent(
                _(
                    "“%(value)s” is neither an opt-in (oui, yes, opt-in) "
                    "nor an opt-out (non, no, opt-out)."
                )
                % {"value": values["consent_status"]}
            )
        if kind == ConsentEntry.Kind.OPT_IN and not self.proves_consent:
            # The file has no source or wording column: nothing proves this opt-in.
            self.opt_ins_unproven += 1
            return None
        channel = CHANNEL_WORDS.get(simplify(values.get("consent_channel", "")))
        if channel is None:
            raise self._bad_consent(
                _("“%(value)s” is not a channel: write all, sms or rcs.")
                % {"value": values["consent_channel"]}
            )
        source_text = values.get("consent_source", "")
        wording = values.get("consent_wording", "")
        if kind == ConsentEntry.Kind.OPT_IN and not (source_text and wording):
            raise self._bad_consent(
                _("An opt-in needs its proof: this row has no consent source or no wording.")
            )
        occurred_at = self._collected_at(values.get("consent_collected_at", ""))
        source = SOURCES.get(simplify(source_text), ConsentEntry.Source.IMPORT)
        return Consent(
            kind=kind,
            channel=channel,
            source=source,
            source_text=source_text,
            wording=wording,
            occurred_at=occurred_at or self.now,
            dated=occurred_at is not None,
        )

    def _collected_at(self, value):
        if not value:
            return None
        moment = _parse_moment(value)
        if moment is None:
            raise self._bad_consent(
                _("“%(value)s” is not a date: write 31/12/2025 or 2025-12-31 14:30.")
                % {"value": value}
            )
        if moment > self.now + CLOCK_SKEW:
            raise self._bad_consent(_("The consent cannot have been given in the future."))
        return moment

    @staticmethod
    def _bad_consent(message):
        return ContactRefused("consent", "bad_consent", message)


def _parse_moment(value):
    """An aware datetime from ISO or French day-first text (naive times are local), or None."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time()) if day else None
    except ValueError:
        moment = None
    for form in FRENCH_DATES:
        if moment is not None:
            break
        try:
            moment = datetime.strptime(value, form)
        except ValueError:
            continue
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
