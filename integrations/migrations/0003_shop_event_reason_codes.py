"""Shop event reasons become a code with its values, worded when shown in the reader's language.

The reasons written before were sentences in the installation's language of the time (English
or French): each is read back into its code and values by matching it against the sentences
Relais wrote, in every language it ships; one that matches none is kept whole (code "other")."""

import re

from django.conf import settings
from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext, ngettext

MAIN = [
    ("no_phone", "The order has no phone number."),
    ("invalid_phone", "“%(number)s” is not a valid phone number."),
    (
        "country_not_allowed",
        "%(number)s is in %(country)s, where this installation does not send messages.",
    ),
    ("not_a_mobile_number", "%(number)s is %(kind)s: SMS cannot reach it, send to a mobile number."),
    ("no_mapping", "No mapping for %(topic)s: nothing to send."),
    ("template_not_published", "The template “%(template)s” is not published."),
    (
        "missing_value",
        "No value for “%(variable)s”: the field %(path)s is not in the payload and the mapping "
        "gives no default.",
    ),
    ("already_sent", "Already sent for this order and topic: a redelivery sends nothing more."),
    ("no_consent", "This recipient has not opted in to promotional messages."),
    ("recipient_opted_out", "This recipient has opted out of promotional messages."),
]
# The msgids use other placeholder names than the values stored.
RENAMED = {
    "The template “%(template)s” is not published.": ("%(template)s", "%(name)s"),
    "No value for “%(variable)s”: the field %(path)s is not in the payload and the mapping "
    "gives no default.": ("%(variable)s", "%(name)s"),
}
CONVERSION = [
    ("invalid_phone", "This is not a valid phone number."),
    ("future_order", "An order cannot be placed in the future."),
    ("order_conflict", "Order %(order)s was recorded in %(currency)s."),
    ("order_conflict", "Order %(order)s was recorded with the value %(value)s."),
    ("too_many_decimals", "Amounts in %(currency)s are whole numbers."),
]
DECIMALS = (
    "Amounts in %(currency)s have at most %(places)d decimal place.",
    "Amounts in %(currency)s have at most %(places)d decimal places.",
)
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _pattern(text, names=None):
    """A regex matching text with each %(name)s as a group (named after names, if given)."""
    names = names or {}
    parts, start = [], 0
    for found in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[start : found.start()]))
        name = names.get(found.group(1), found.group(1))
        parts.append(rf"(?P<{name}>\d+)" if found.group(2) == "d" else rf"(?P<{name}>.+?)")
        start = found.end()
    parts.append(re.escape(text[start:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def _translated(msgid):
    if msgid in RENAMED:
        ours, theirs = RENAMED[msgid]
        translated = gettext(msgid.replace(ours, theirs))
        return translated.replace(theirs, ours)
    return gettext(msgid)


def _languages():
    codes = [code for code, _name in settings.LANGUAGES]
    return ["en"] + [code for code in codes if code != "en"]


def _kind(name_in_text):
    from audience.destinations import KIND_NAMES
    from phonenumbers import PhoneNumberType

    for attribute, value in vars(PhoneNumberType).items():
        if attribute.isupper() and value in KIND_NAMES and str(KIND_NAMES[value]) == name_in_text:
            return attribute
    return ""


def _main(text):
    if text == "malformed JSON: the body is JSON but not an object":
        return "not_an_object", {}
    if text.startswith("malformed JSON: "):
        return "malformed_json", {"error": text.removeprefix("malformed JSON: ")}
    for code, msgid in MAIN:
        found = _pattern(_translated(msgid)).match(text)
        if found is None:
            continue
        values = {key: value for key, value in found.groupdict().items()}
        if code == "country_not_allowed":
            country = re.search(r"\(([A-Z]{2})\)$", values["country"])
            values["country"] = country.group(1) if country else "001"
        elif code == "not_a_mobile_number":
            values["kind"] = _kind(values["kind"])
        elif code == "no_mapping" and values["topic"] == "?":
            values["topic"] = ""
        elif code == "missing_value" and values["path"] == gettext("(none chosen)"):
            values["path"] = ""
        return code, values
    return "other", {"text": text}


def _conversion(text):
    patterns = [(code, _pattern(gettext(msgid))) for code, msgid in CONVERSION]
    patterns += [("too_many_decimals", _pattern(ngettext(*DECIMALS, n))) for n in (1, 2, 3)]
    for code, pattern in patterns:
        found = pattern.match(text)
        if found is None:
            continue
        refusal = {"code": code, **found.groupdict()}
        if code == "too_many_decimals":
            refusal["places"] = int(refusal.get("places", 0))
        return refusal
    return {"code": "other", "text": text}


def read_reason(text):
    """(reason code, values, conversion refusal or None) for a reason written as a sentence."""
    text = (text or "").strip()
    if not text:
        return "", {}, None
    for language in _languages():
        with translation.override(language):
            note = _pattern(gettext("Conversion not recorded: %(reason)s"))
            split = re.compile(r"^(?P<main>.*?)\s*" + note.pattern.removeprefix("^"), re.DOTALL)
            found = split.match(text)
            main = found.group("main") if found else text
            conversion = _conversion(found.group("reason")) if found else None
            code, values = _main(main) if main else ("", {})
            if code != "other" or (conversion and conversion["code"] != "other"):
                return code, values, conversion
    return "other", {"text": text}, None


def forwards(apps, schema_editor):
    ShopEvent = apps.get_model("integrations", "ShopEvent")
    for event in ShopEvent.objects.exclude(reason="").iterator(chunk_size=500):
        code, values, conversion = read_reason(event.reason)
        ShopEvent.objects.filter(pk=event.pk).update(
            reason_code=code, reason_values=values, conversion_refusal=conversion
        )


def backwards(apps, schema_editor):
    from integrations.shops.reasons import describe

    ShopEvent = apps.get_model("integrations", "ShopEvent")
    events = ShopEvent.objects.exclude(reason_code="", conversion_refusal=None)
    with translation.override(settings.LANGUAGE_CODE):
        for event in events.iterator(chunk_size=500):
            text = describe(event.reason_code, event.reason_values, event.conversion_refusal)
            ShopEvent.objects.filter(pk=event.pk).update(reason=text[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_shops"),
    ]

    operations = [
        migrations.AddField(
            model_name="shopevent",
            name="conversion_refusal",
            field=models.JSONField(blank=True, null=True, verbose_name="conversion refused"),
        ),
        migrations.AddField(
            model_name="shopevent",
            name="reason_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("malformed_json", "Body is not JSON"),
                    ("not_an_object", "Body is not a JSON object"),
                    ("no_phone", "No phone number"),
                    ("invalid_phone", "Invalid phone number"),
                    ("country_not_allowed", "Country not allowed"),
                    ("not_a_mobile_number", "Not a mobile number"),
                    ("no_mapping", "No mapping"),
                    ("template_not_published", "Template not published"),
                    ("missing_value", "Variable without a value"),
                    ("already_sent", "Already sent"),
                    ("no_consent", "No opt-in"),
                    ("recipient_opted_out", "Opted out"),
                    ("send_refused", "Refused by the send API"),
                    ("other", "Other"),
                ],
                max_length=30,
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="shopevent",
            name="reason_values",
            field=models.JSONField(blank=True, default=dict, verbose_name="reason values"),
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
        migrations.RemoveField(model_name="shopevent", name="reason"),
    ]
