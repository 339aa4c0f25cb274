"""Validation errors in the caller's terms: the field as the caller wrote it ("variables.prenom",
"numbers[3]") and a message in the request's language for each pydantic error."""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


def field_name(location):
    """A validation error location in the caller's terms: "variables.prenom", "numbers[3]"."""
    source, *parts = location
    if source == "header" and parts:
        return str(parts[-1]).replace("_", "-").title()
    if source == "body" and len(parts) == 1:
        return "body"  # the body as a whole (not an object), not the handler's parameter name
    if source == "body" and len(parts) > 1:
        parts = parts[1:]  # drop the name of the handler's body parameter
    name = ""
    for part in parts:
        if part == "[key]":
            continue  # pydantic's mark of a refused dict key: the key itself is the field
        if isinstance(part, int):
            name += f"[{part}]"
        elif name:
            name += f".{_printable(part)}"
        else:
            name = _printable(part)
    return name


def _printable(part):
    """A location part as the answer can carry it: a refused dict key may hold a lone surrogate
    (which cannot be encoded) or control characters, so those are escaped."""
    text = str(part)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


DATETIME_ERRORS = (
    "datetime_type",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "timezone_aware",
)


def validation_message(error):
    """A translated message for the usual pydantic errors; for the others, pydantic's own
    sentence in English and a sentence naming the error's code in another language."""
    kind, context = error.get("type", ""), error.get("ctx", {})
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not part of the API.")
    if kind == "string_type":
        return _("Give a text value (a JSON string).")
    if kind == "string_unicode":
        return _("Give valid Unicode text (this text holds an unpaired surrogate).")
    if kind == "nul_character":
        return _("Remove the NUL character (\\u0000): text cannot contain it.")
    if kind == "control_character" and context.get("one_line"):
        return _(
            "This field is one line: remove the line break or control character %(character)s."
        ) % {"character": context.get("character", "")}
    if kind == "control_character":
        return _("Remove the control character %(character)s: text cannot contain it.") % {
            "character": context.get("character", "")
        }
    if kind == "int_type" and isinstance(error.get("input"), str | bool):
        return _("Give a whole number as a JSON number: text (“60”) and true or false are not.")
    if kind in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        return _("Give a whole number.")
    if kind == "model_attributes_type":
        return _("Send a JSON object.")
    if kind == "dict_type":
        return _("Give an object of names and text values.")
    if kind == "list_type":
        return _("Give a list.")
    if kind in ("enum", "literal_error"):
        return _("Use one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "email":
        return _("Give a valid email address.")
    if kind == "ip_address":
        return _("Give an IPv4 or IPv6 address.")
    if kind in DATETIME_ERRORS:
        return _("Give a date and time in ISO 8601 with a time zone: 2025-06-01T18:02:11+02:00.")
    if kind == "datetime_range":
        return _("This date and time is out of range: give one between the years 1 and 9999.")
    if kind in ("uuid_type", "uuid_parsing"):
        return _("Give an id as the API returned it (a UUID).")
    if kind == "string_pattern_mismatch":
        return _("This text does not have the expected form (%(pattern)s).") % {
            "pattern": context.get("pattern", "")
        }
    if kind == "greater_than_equal":
        return _("Use a value of at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Use a value of at most %(limit)s.") % {"limit": context.get("le")}
    if kind == "string_too_long":
        limit = context.get("max_length", 0)
        return ngettext(
            "At most %(limit)d character is allowed.",
            "At most %(limit)d characters are allowed.",
            limit,
        ) % {"limit": limit}
    if kind == "too_long":
        count = context.get("actual_length", 0)
        return ngettext(
            "%(count)d item was given; the limit is %(limit)d.",
            "%(count)d items were given; the limit is %(limit)d.",
            count,
        ) % {"count": count, "limit": context.get("max_length", 0)}
    if kind == "too_short":
        limit = context.get("min_length", 0)
        return ngettext(
            "At least %(limit)d item is required.", "At least %(limit)d items are required.", limit
        ) % {"limit": limit}
    if kind == "string_too_short":
        limit = context.get("min_length", 0)
        if limit == 1:
            return _("This field cannot be empty.")
        return ngettext(
            "At least %(limit)d character is required.",
            "At least %(limit)d characters are required.",
            limit,
        ) % {"limit": limit}
    if kind in ("bool_type", "bool_parsing"):
        return _("Give true or false.")
    if kind in ("float_type", "float_parsing"):
        return _("Give a number.")
    if kind == "url_scheme":
        return _("Give an http or https URL with a host.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind == "greater_than":
        return _("Use a value above %(limit)s.") % {"limit": context.get("gt")}
    if kind == "less_than":
        return _("Use a value below %(limit)s.") % {"limit": context.get("lt")}
    if (get_language() or "en").startswith("en"):
        return error.get("msg", "")
    # pydantic's own sentence is English: another language gets a sentence of its own, and
    # the error's code says which check refused the value.
    return _("This value is refused (%(code)s).") % {"code": kind}


def item_errors(errors, *location):
    """{field, code, message} for each pydantic error of one part of a request body checked on
    its own (an item of a batch), its fields named from location ("contacts", 3)."""
    return [
        {
            "field": field_name(("body", "payload", *location, *error.get("loc", ()))),
            "code": error.get("type", "invalid"),
            "message": validation_message(error),
        }
        for error in errors
    ]
