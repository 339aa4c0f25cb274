"""Which file column feeds which contact field: the choices, guesses from the headers and the
values, the check of a mapping, and the key that finds a remembered mapping again."""

import hashlib
import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PHONE = "phone"
IGNORE = ""
ATTRIBUTE = "attribute:"
CONTACT_FIELDS = ("first_name", "last_name", "email", "language")
CONSENT_FIELDS = (
    "consent_status",
    "consent_channel",
    "consent_source",
    "consent_wording",
    "consent_collected_at",
)
FIELD_LABELS = {
    IGNORE: gettext_lazy("Do not import"),
    PHONE: gettext_lazy("Phone number"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "language": gettext_lazy("Language"),
    "consent_status": gettext_lazy("Consent: opt-in or opt-out"),
    "consent_channel": gettext_lazy("Consent: channels (all, SMS, RCS)"),
    "consent_source": gettext_lazy("Consent: where it was collected"),
    "consent_wording": gettext_lazy("Consent: wording shown"),
    "consent_collected_at": gettext_lazy("Consent: date collected"),
}

# Header words (lower case, no accents, letters and digits only) that name a field.
GUESSES = {
    PHONE: {
        "phone",
        "telephone",
        "tel",
        "mobile",
        "portable",
        "numero",
        "gsm",
        "msisdn",
        "phonenumber",
        "cellulaire",
        "mobilephone",
        "numerodetelephone",
        "numtel",
    },
    "first_name": {"prenom", "firstname", "first", "givenname"},
    "last_name": {"nom", "lastname", "surname", "familyname", "nomdefamille", "name"},
    "email": {"email", "mail", "courriel", "adressemail", "emailaddress", "adresseemail"},
    "language": {"langue", "language", "lang", "locale"},
    "consent_status": {
        "consentement",
        "consent",
        "optin",
        "consentementsms",
        "statutconsentement",
        "consentstatus",
    },
    "consent_channel": {"canal", "canaux", "channel", "channels", "consentchannel"},
    "consent_source": {"source", "origine", "consentsource", "sourceconsentement"},
    "consent_wording": {
        "wording",
        "mention",
        "texte",
        "libelle",
        "consentwording",
        "texteconsentement",
        "mentionconsentement",
    },
    "consent_collected_at": {
        "dateconsentement",
        "collectedat",
        "consentdate",
        "dateoptin",
        "consentcollectedat",
        "datedeconsentement",
    },
}


class MappingError(ValueError):
    """The mapping cannot run; the message says what to change."""


def simplify(header):
    """A header as guesses compare it: lower case, no accents, letters and digits only."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def attribute_name(header):
    """The attribute a column becomes: its header in snake case (Ville → ville)."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:50] or "column"


def looks_like_phones(values):
    """True when most non-empty values parse as phone numbers (national numbers read as FR)."""
    values = [value.strip() for value in values if value and value.strip()]
    if not values:
        return False
    region = getattr(settings, "PHONENUMBER_DEFAULT_REGION", "FR")
    good = 0
    for value in values:
        try:
            parsed = phonenumbers.parse(
                value.replace("0033", "+33", 1) if value.startswith("0033") else value, region
            )
        except phonenumbers.NumberParseException:
            continue
        good += phonenumbers.is_possible_number(parsed)
    return good * 2 > len(values)


def guess(headers, preview):
    """A mapping (one field per column, in order) guessed from the headers, then from the
    values for the phone column."""
    mapping, taken = [], set()
    for header in headers:
        word = simplify(header)
        field = next(
            (name for name, words in GUESSES.items() if word in words and name not in taken), None
        )
        if field is None:
            field = ATTRIBUTE + attribute_name(header) if word else IGNORE
        else:
            taken.add(field)
        mapping.append(field)
    if PHONE not in taken:
        for index in range(len(headers)):
            if looks_like_phones([row[index] for row in preview if index < len(row)]):
                mapping[index] = PHONE
                break
    return mapping


def choices_for(header):
    """The dropdown of one column: every field, and this column as an attribute."""
    choices = list(FIELD_LABELS.items())
    name = attribute_name(header)
    choices.append((ATTRIBUTE + name, _("Attribute “%(name)s”") % {"name": name}))
    return choices


def check(mapping, headers):
    """Raise MappingError unless the mapping has one phone column and no field twice."""
    if len(mapping) != len(headers):
        raise MappingError(_("Choose a field for every column."))
    for field in mapping:
        known = field in FIELD_LABELS or (
            field.startswith(ATTRIBUTE) and len(field) > len(ATTRIBUTE)
        )
        if not known:
            raise MappingError(
                _("“%(field)s” is not a field a column can go to.") % {"field": field}
            )
    if PHONE not in mapping:
        raise MappingError(_("Choose the column that holds the phone numbers."))
    used = [field for field in mapping if field != IGNORE]
    doubles = sorted({field for field in used if used.count(field) > 1})
    if doubles:
        names = ", ".join(str(FIELD_LABELS.get(field, field)) for field in doubles)
        raise MappingError(
            _("Each field takes one column; chosen twice: %(names)s.") % {"names": names}
        )


def claims_consent(mapping):
    """True when the file can prove consent: a status column with its source and wording."""
    return all(name in mapping for name in ("consent_status", "consent_source", "consent_wording"))


def parse_option(text, headers):
    """A mapping from the command line's "Header=field,Header=field" (unnamed columns are
    guessed by the caller); MappingError naming an unknown header."""
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        header, sep, field = pair.partition("=")
        if not sep or header.strip() not in headers:
            raise MappingError(
                _("“%(pair)s”: give Header=field with a header of the file (%(headers)s).")
                % {"pair": pair, "headers": ", ".join(headers)}
            )
        mapping[header.strip()] = field.strip()
    return mapping


def header_key(headers):
    """The same key for the same set of columns, whatever their case, accents or order."""
    words = sorted(simplify(header) for header in headers)
    return hashlib.sha256("\x1f".join(words).encode()).hexdigest()
