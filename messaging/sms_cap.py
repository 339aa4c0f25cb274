"""The cap on SMS length: an SMS over its brand's segment limit is refused, naming the cause.

Each segment is billed, so a runaway variable (a whole page pasted into a first name) must
not turn one message into hundreds of SMS. The refusal names the variable most to blame.
"""

from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from messaging import sms
from messaging.variables import PLACEHOLDER_RE, find_variables

# Brand.sms_max_segments defaults to this; France's short codes accept at most 10.
DEFAULT_MAX_SEGMENTS = 6


class SmsTooLong(ValueError):
    """An SMS takes more segments than allowed; `field` names the variable (or the template)."""

    code = "sms_too_long"

    def __init__(self, segments: int, limit: int, variable: str = "", length: int = 0):
        self.segments = segments
        self.limit = limit
        self.variable = variable
        self.length = length
        self.field = f"variables.{variable}" if variable else "template_id"
        numbers = {"segments": segments, "limit": limit}
        if variable:
            message = _(
                "The SMS would be %(segments)d segments, the limit is %(limit)d: "
                "the variable “%(name)s” is %(length)s characters."
            ) % {**numbers, "name": variable, "length": number_format(length, force_grouping=True)}
        else:
            message = (
                _(
                    "The SMS would be %(segments)d segments, the limit is %(limit)d: "
                    "the template's SMS text alone is too long, publish a shorter one."
                )
                % numbers
            )
        super().__init__(message)


def check_sms_length(text: str, limit: int, template: str, values: Mapping[str, str]) -> None:
    """Raise SmsTooLong when text, template filled with values, takes over limit segments.

    The refusal names the longest value used, unless template is over limit without them.
    """
    # The cheap bound first: a 100,000-character value is refused without being analysed.
    segments = sms.min_segments(text)
    if segments <= limit:
        segments = sms.analyze(text).segments
        if segments <= limit:
            return
    lengths = {name: len(str(values.get(name) or "")) for name in find_variables(template)}
    longest = max(lengths, key=lengths.get, default="")
    fixed = PLACEHOLDER_RE.sub("", template)
    if not lengths.get(longest) or sms.analyze(fixed).segments > limit:
        raise SmsTooLong(segments, limit)
    raise SmsTooLong(segments, limit, longest, lengths[longest])
