"""What sending one message to an audited audience would cost: RCS to the contacts the audit
found reachable, SMS (billed per segment) to all the others, next to everything by SMS.

The SMS segment count comes from a published template or is typed in. Templates belong to
the editor, which the audience does not import: the app above both (sending) registers where
to read them, as segment condition kinds are registered.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# A long SMS is at most 10 segments here (the editor's own ceiling is lower).
MAX_SMS_SEGMENTS = 10
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SmsTemplate:
    """A published template the estimate can count SMS segments from."""

    id: int
    name: str
    sms_segments: int


_sources: list[Callable[[], Iterable[SmsTemplate]]] = []


def register_sms_templates(source):
    """Add a callable returning the SmsTemplates the estimate may offer (called per request)."""
    if source not in _sources:
        _sources.append(source)
    return source


def sms_templates():
    """The published templates with an SMS, from every registered source, by name."""
    found = [template for source in _sources for template in source()]
    return sorted(found, key=lambda template: template.name.casefold())


@dataclass(frozen=True)
class CostEstimate:
    """One message to every contact of the audience, at the audit's prices."""

    rcs_messages: int
    sms_messages: int
    sms_segments: int
    rcs_price: Decimal
    sms_segment_price: Decimal

    @property
    def sms_segments_total(self):
        return self.sms_messages * self.sms_segments

    @property
    def rcs_cost(self):
        return _cents(self.rcs_messages * self.rcs_price)

    @property
    def sms_cost(self):
        return _cents(self.sms_segments_total * self.sms_segment_price)

    @property
    def total(self):
        return self.rcs_cost + self.sms_cost

    @property
    def all_sms_cost(self):
        """The same message sent to everybody by SMS."""
        everyone = self.rcs_messages + self.sms_messages
        return _cents(everyone * self.sms_segments * self.sms_segment_price)

    @property
    def rcs_price_places(self):
        """Decimal places that show the RCS price exactly (at least 2): 0.06, 0.045."""
        return _places(self.rcs_price)

    @property
    def sms_price_places(self):
        return _places(self.sms_segment_price)

    @property
    def saving(self):
        """What RCS with SMS fallback saves against all-SMS (negative: what it costs more)."""
        return -self.difference

    @property
    def difference(self):
        """What RCS with SMS fallback costs more (positive) or less (negative) than all-SMS."""
        return self.total - self.all_sms_cost


def estimate(audit, sms_segments=None):
    """The estimate for an audit: RCS to its reachable contacts, SMS to the unreachable and the
    unknown (as its "not RCS" segment sends them)."""
    return CostEstimate(
        rcs_messages=audit.rcs_yes,
        sms_messages=audit.rcs_no + audit.unknown,
        sms_segments=sms_segments or audit.sms_segments,
        rcs_price=audit.rcs_price,
        sms_segment_price=audit.sms_segment_price,
    )


def _places(price):
    return max(2, -Decimal(price).normalize().as_tuple().exponent)


def _cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
