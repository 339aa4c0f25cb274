"""Field rules of the editor's models, worded for the marketer who types the value."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

SENDER_ID_MAX = 11

_SENDER_CHARACTERS_RE = re.compile(r"[A-Za-z0-9]+")
_STOP_WORD_RE = re.compile(r"\bSTOP\b")
_STOP_NUMBER_RE = re.compile(r"(?<!\d)36\d{3}(?!\d)")


def validate_sender_id(value):
    """Refuse an SMS sender ID that French operators reject (2-11 ASCII letters or digits)."""
    if not value:
        return
    if not 2 <= len(value) <= SENDER_ID_MAX:
        raise ValidationError(
            ngettext(
                "The sender ID is %(count)d character long: use 2 to 11 letters or digits.",
                "The sender ID is %(count)d characters long: use 2 to 11 letters or digits.",
                len(value),
            )
            % {"count": len(value)},
            code="sender_length",
        )
    if not _SENDER_CHARACTERS_RE.fullmatch(value):
        bad = sorted({char for char in value if not _SENDER_CHARACTERS_RE.fullmatch(char)})
        shown = ", ".join(
            _("space") if char == " " else _("“%(character)s”") % {"character": char}
            for char in bad
        )
        raise ValidationError(
            _(
                "The sender ID may only hold letters A to Z without accents and digits "
                "(no spaces or punctuation); remove %(characters)s."
            )
            % {"characters": shown},
            code="sender_characters",
        )
    if value.isdigit():
        raise ValidationError(
            _("The sender ID cannot be only digits: French operators refuse it; add a letter."),
            code="sender_digits",
        )


def validate_stop_mention(value):
    """Refuse a STOP mention without the word STOP and a 36xxx short number."""
    if not value:
        return
    if not _STOP_WORD_RE.search(value):
        raise ValidationError(
            _("The STOP mention must contain the word STOP in capitals, e.g. “STOP au 36111”."),
            code="stop_word",
        )
    if not _STOP_NUMBER_RE.search(value):
        raise ValidationError(
            _(
                "The STOP mention must give the 5-digit opt-out number starting with 36 "
                "that your SMS provider gave you, e.g. “STOP au 36111”."
            ),
            code="stop_number",
        )


validate_colour = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$",
    gettext_lazy("Give the colour as # followed by 6 hexadecimal digits, e.g. #1A73E8."),
)
validate_template_id = RegexValidator(
    r"^[a-z0-9_]+$",
    gettext_lazy("Use only lower-case letters without accents, digits and underscores."),
)
