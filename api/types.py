"""Strict input types every API router shares: text without control characters, strict numbers."""

import re
from dataclasses import dataclass
from datetime import UTC
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict
from pydantic_core import PydanticCustomError

# Lone surrogates cannot be encoded (UTF-8, the database): json.loads turns an escaped pair into
# one code point, so any surrogate left in a str is unpaired.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# C0 controls, DEL and C1 controls (BEL, ESC, NEL…): they have no place in a message. Text that
# may span lines keeps tab, line feed and carriage return.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# On one line (a button label, a link, an id) no line break either, Unicode's own included.
_ONE_LINE_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class BadCharacter:
    """A character a text may not hold: `kind` is "nul", "surrogate" or "control"."""

    kind: str
    character: str

    @property
    def code_point(self):
        return f"U+{ord(self.character):04X}"


def find_bad_character(text: str, *, one_line: bool) -> BadCharacter | None:
    """The first character text may not hold, or None; one_line also refuses line breaks."""
    found = [
        match
        for match in (
            _SURROGATE_RE.search(text),
            (_ONE_LINE_CONTROL_RE if one_line else _CONTROL_RE).search(text),
        )
        if match is not None
    ]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    character = first.group()
    if character == "\x00":
        kind = "nul"
    elif _SURROGATE_RE.match(character):
        kind = "surrogate"
    else:
        kind = "control"
    return BadCharacter(kind, character)


def _refuse_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: let it in and the insert fails with a 500.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Text cannot contain the NUL character.")
    return value


# Text an API caller sends that ends up stored: anything but the NUL character.
NOT_NUL = AfterValidator(_refuse_nul)
Text = Annotated[str, NOT_NUL]


def _refuse_bad_characters(value: str, one_line: bool) -> str:
    bad = find_bad_character(value, one_line=one_line)
    if bad is None:
        return value
    if bad.kind == "nul":
        raise PydanticCustomError("nul_character", "Text cannot contain the NUL character.")
    if bad.kind == "surrogate":
        raise PydanticCustomError("string_unicode", "Text holds an unpaired surrogate.")
    raise PydanticCustomError(
        "control_character",
        "Text cannot contain the control character {character}.",
        {"character": bad.code_point, "one_line": one_line},
    )


# Text shown on one line (ids, numbers, variable names): no control character, no line break.
ONE_LINE = AfterValidator(lambda value: _refuse_bad_characters(value, True))
Line = Annotated[str, ONE_LINE]
# Text that may span lines (a variable's value): tab, line feed and carriage return allowed.
MultiLine = Annotated[str, AfterValidator(lambda value: _refuse_bad_characters(value, False))]
# "60" and true are not numbers: no coercion from text or booleans.
StrictInt = Annotated[int, Strict()]


_ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text(value):
    # Only ISO 8601 text: pydantic would take a number, or a text of digits ("0.5" in a query
    # string), as a Unix timestamp.
    if not isinstance(value, str) or not _ISO_DATE_START.match(value.strip()):
        raise PydanticCustomError(
            "datetime_type", "Give a date and time as an ISO 8601 text with a time zone."
        )
    return value


def _in_utc(value):
    """The moment in UTC. PostgreSQL refuses offsets past ±15:59 (ISO 8601 and Python take up
    to ±23:59), and a moment at the edge of year 1 or 9999 may not exist in UTC."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_range", "This date and time is out of the range Relais stores."
        ) from None


# Any aware moment a caller gives, kept in UTC.
IN_UTC = AfterValidator(_in_utc)
# A moment given in ISO 8601 with a time zone (2026-12-24T09:00:00+01:00), in a body or a query.
IsoMoment = Annotated[AwareDatetime, BeforeValidator(_iso_text), IN_UTC]


def one_of(choices, *, only=(), blank=False):
    """A Literal of the values of a TextChoices (or of `only` among them), with "" for a field
    that may be blank: the OpenAPI schema lists them inline as an enum, and pydantic refuses any
    other value. Inline, because the schema names components by class and several apps have a
    "Status" or a "Source" of their own."""
    values = [str(value) for value in (only or choices.values)]
    unknown = set(values) - set(choices.values)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not values of {choices.__name__}")
    if blank and "" not in values:
        values.append("")
    return Literal[tuple(values)]
