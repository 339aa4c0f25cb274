"""Why a shop event was skipped, failed or refused: stored as a code with the values its sentence
needs, and worded only when shown, in the reader's language (a French team and an English admin
read the same log).

The sentences reuse the wording of the checks that refuse (audience.destinations, the send API,
record_conversion), so one translation serves both.
"""

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from phonenumbers import PhoneNumberType, geocoder

from audience.destinations import KIND_NAMES, NON_GEOGRAPHIC


class Reason(models.TextChoices):
    """The codes of ShopEvent.reason_code (values in reason_values)."""

    MALFORMED_JSON = "malformed_json", gettext_lazy("Body is not JSON")  # error
    NOT_AN_OBJECT = "not_an_object", gettext_lazy("Body is not a JSON object")
    NO_PHONE = "no_phone", gettext_lazy("No phone number")
    INVALID_PHONE = "invalid_phone", gettext_lazy("Invalid phone number")  # number
    COUNTRY_NOT_ALLOWED = "country_not_allowed", gettext_lazy("Country not allowed")  # number
    NOT_A_MOBILE = "not_a_mobile_number", gettext_lazy("Not a mobile number")  # number, kind
    NO_MAPPING = "no_mapping", gettext_lazy("No mapping")  # topic
    TEMPLATE_NOT_PUBLISHED = "template_not_published", gettext_lazy("Template not published")
    MISSING_VALUE = "missing_value", gettext_lazy("Variable without a value")  # variable, path
    ALREADY_SENT = "already_sent", gettext_lazy("Already sent")
    NO_CONSENT = "no_consent", gettext_lazy("No opt-in")
    OPTED_OUT = "recipient_opted_out", gettext_lazy("Opted out")
    # Any other refusal of the send API: its code, field and sentence as worded then.
    SEND_REFUSED = "send_refused", gettext_lazy("Refused by the send API")
    # A reason written before codes were stored, that matched none of them: its text.
    OTHER = "other", gettext_lazy("Other")


# ShopEvent.conversion_refusal["code"]: the codes of analytics' ConversionRefused.
CONVERSION_CODES = ("invalid_phone", "too_many_decimals", "order_conflict", "future_order")


def _format_number(number):
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number, None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL), parsed


def _country_name(parsed, country):
    if country == NON_GEOGRAPHIC:
        code = parsed.country_code if parsed else "?"
        return _("a satellite or international network (+%(code)s)") % {"code": code}
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    name = geocoder.country_name_for_number(parsed, language) if parsed else ""
    return f"{name} ({country})" if name else country


def _kind_name(kind):
    value = getattr(PhoneNumberType, kind, None) if kind.isupper() else None
    return KIND_NAMES.get(value, gettext_lazy("a number of unknown kind"))


def _destination(code, values):
    shown, parsed = _format_number(values.get("number", ""))
    if code == Reason.COUNTRY_NOT_ALLOWED:
        country = values.get("country") or "?"
        return _(
            "%(number)s is in %(country)s, where this installation does not send messages."
        ) % {"number": shown, "country": _country_name(parsed, country)}
    return _("%(number)s is %(kind)s: SMS cannot reach it, send to a mobile number.") % {
        "number": shown,
        "kind": _kind_name(values.get("kind") or ""),
    }


def sentence(code, values):
    """The reason as a sentence in the active language, or "" for no code."""
    values = values or {}
    if not code:
        return ""
    if code == Reason.MALFORMED_JSON:
        return _("The body is not valid JSON: %(error)s") % {"error": values.get("error", "")}
    if code == Reason.NOT_AN_OBJECT:
        return _("The body is JSON but not an object.")
    if code == Reason.NO_PHONE:
        return _("The order has no phone number.")
    if code == Reason.INVALID_PHONE:
        return _("“%(number)s” is not a valid phone number.") % {"number": values.get("number")}
    if code in (Reason.COUNTRY_NOT_ALLOWED, Reason.NOT_A_MOBILE):
        return _destination(code, values)
    if code == Reason.NO_MAPPING:
        topic = values.get("topic") or "?"
        return _("No mapping for %(topic)s: nothing to send.") % {"topic": topic}
    if code == Reason.TEMPLATE_NOT_PUBLISHED:
        return _("The template “%(name)s” is not published.") % {"name": values.get("template")}
    if code == Reason.MISSING_VALUE:
        return _(
            "No value for “%(name)s”: the field %(path)s is not in the payload and the "
            "mapping gives no default."
        ) % {"name": values.get("variable"), "path": values.get("path") or _("(none chosen)")}
    if code == Reason.ALREADY_SENT:
        return _("Already sent for this order and topic: a redelivery sends nothing more.")
    if code == Reason.NO_CONSENT:
        return _("This recipient has not opted in to promotional messages.")
    if code == Reason.OPTED_OUT:
        return _("This recipient has opted out of promotional messages.")
    # SEND_REFUSED, OTHER, and a code this version does not know: the text kept with it.
    return str(values.get("detail") or values.get("text") or code)


def conversion_sentence(refusal):
    """Why the paid order was not recorded as a conversion, in the active language, or ""."""
    if not refusal:
        return ""
    code = refusal.get("code")
    if code == "invalid_phone":
        why = _("This is not a valid phone number.")
    elif code == "future_order":
        why = _("An order cannot be placed in the future.")
    elif code == "too_many_decimals" and refusal.get("places") is not None:
        places = int(refusal["places"])
        currency = refusal.get("currency", "")
        if places == 0:
            why = _("Amounts in %(currency)s are whole numbers.") % {"currency": currency}
        else:
            why = ngettext(
                "Amounts in %(currency)s have at most %(places)d decimal place.",
                "Amounts in %(currency)s have at most %(places)d decimal places.",
                places,
            ) % {"currency": currency, "places": places}
    elif code == "order_conflict" and refusal.get("currency"):
        why = _("Order %(order)s was recorded in %(currency)s.") % {
            "order": refusal.get("order", ""),
            "currency": refusal["currency"],
        }
    elif code == "order_conflict" and refusal.get("value"):
        why = _("Order %(order)s was recorded with the value %(value)s.") % {
            "order": refusal.get("order", ""),
            "value": refusal["value"],
        }
    else:
        why = refusal.get("detail") or refusal.get("text") or code or "?"
    return _("Conversion not recorded: %(reason)s") % {"reason": why}


def describe(code, values, conversion_refusal):
    """The whole reason of an event: why it went as it did, then why no conversion."""
    parts = (sentence(code, values), conversion_sentence(conversion_refusal))
    return " ".join(part for part in parts if part)
