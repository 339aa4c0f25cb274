"""The dashboard's figures, read from the rollups only (never from messages or events).

Every function takes a Scope (mode, campaign, template version, period) and answers with a
few GROUP BY queries on the rollup tables, whose size grows with campaigns × hours, not with
messages.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from analytics.rollup_models import COUNTERS, ButtonRollup, CurrencyRollup, Rollup, Route

ROUTE_LABELS = {
    Route.RCS: gettext_lazy("RCS"),
    Route.SMS_FALLBACK: gettext_lazy("SMS fallback"),
    Route.SMS_ONLY: gettext_lazy("SMS only"),
    Route.NONE: gettext_lazy("Not carried"),
}
INTENDED_LABELS = {"rcs": gettext_lazy("Meant for RCS"), "sms": gettext_lazy("Meant for SMS")}
# Under this share of attempted messages delivered, deliverability is flagged.
DELIVERABILITY_FLOOR = 0.95


@dataclass(frozen=True)
class Scope:
    """Which rollups a screen reads: one mode, optionally one campaign, one version, a period."""

    test_mode: bool = False
    campaign_id: int | None = None
    template_version_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def rollups(self, model=Rollup):
        rows = model.objects.filter(test_mode=self.test_mode)
        if self.campaign_id is not None:
            rows = rows.filter(campaign_id=self.campaign_id)
        if self.template_version_id is not None:
            rows = rows.filter(template_version_id=self.template_version_id)
        if self.since is not None:
            rows = rows.filter(hour__gte=self.since)
        if self.until is not None:
            rows = rows.filter(hour__lt=self.until)
        return rows.order_by()


def _sums(names=COUNTERS):
    return {name: Sum(name) for name in names}


@dataclass
class Figures:
    """The counts of a group of messages and the rates read from them."""

    label: str = ""
    key: str = ""
    counts: dict = field(default_factory=dict)
    # {currency: (conversions, revenue)} of the attributed conversions, one entry per currency.
    revenues: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name in COUNTERS:
            return self.counts.get(name) or 0
        raise AttributeError(name)

    @staticmethod
    def _share(part, whole):
        return part / whole if whole else None

    @property
    def delivered_rate(self):
        """Delivered among the messages handed to a provider (or refused by it)."""
        return self._share(self.delivered, self.attempted)

    @property
    def read_rate(self):
        """Read among the delivered over RCS (SMS has no read receipts: none for SMS)."""
        return self._share(self.read, self.rcs_billable)

    @property
    def click_rate(self):
        """Messages clicked at least once by a person, among the delivered."""
        return self._share(self.clicks_unique, self.delivered)

    @property
    def conversion_rate(self):
        return self._share(self.conversions, self.delivered)

    @property
    def opt_out_rate(self):
        return self._share(self.opted_out, self.delivered)

    @property
    def failure_rate(self):
        return self._share(self.failed, self.attempted)

    @property
    def cost(self):
        return (
            Decimal(self.rcs_billable) * settings.RCS_PRICE_EUR
            + Decimal(self.sms_segments) * settings.SMS_SEGMENT_PRICE_EUR
        )

    @property
    def cost_per_conversion(self):
        return self.cost / self.conversions if self.conversions else None

    def revenue_in(self, currency):
        """The revenue in that currency (Decimal 0 without conversions in it)."""
        return self.revenues.get(currency, (0, Decimal(0)))[1]

    def add(self, other):
        for name in COUNTERS:
            self.counts[name] = (self.counts.get(name) or 0) + (other.counts.get(name) or 0)
        for currency, (conversions, revenue) in other.revenues.items():
            mine = self.revenues.get(currency, (0, Decimal(0)))
            self.revenues[currency] = (mine[0] + conversions, mine[1] + revenue)
        return self


def currencies_of(*groups):
    """The currencies the groups earned in: the installation's main currency first (always,
    even without revenue in it), then the others by code."""
    main = settings.REPORTING_CURRENCY
    seen = {currency for g in groups for currency in g.revenues}
    return [main, *sorted(seen - {main})]


def _revenues(scope, by=None):
    """{value of `by` (None: everything): {currency: (conversions, revenue)}}."""
    names = [by] if by else []
    rows = (
        scope.rollups(CurrencyRollup)
        .values(*names, "currency")
        .annotate(conversions=Sum("conversions"), revenue=Sum("revenue"))
    )
    found = {}
    for row in rows:
        if row["conversions"] or row["revenue"]:
            group = found.setdefault(row[by] if by else None, {})
            group[row["currency"]] = (row["conversions"], row["revenue"])
    return found


def totals(scope):
    """Every message of the scope, summed."""
    counts = scope.rollups().aggregate(**_sums())
    return Figures(gettext_lazy("All"), "all", counts, _revenues(scope).get(None, {}))


def by_route(scope):
    """RCS, SMS fallback and SMS only side by side (and what no channel carried)."""
    found = {row.pop("route"): row for row in scope.rollups().values("route").annotate(**_sums())}
    money = _revenues(scope, "route")
    rows = [
        Figures(ROUTE_LABELS[route], route, found.get(route, {}), money.get(route, {}))
        for route in (Route.RCS, Route.SMS_FALLBACK, Route.SMS_ONLY)
    ]
    if found.get(Route.NONE, {}).get("messages"):
        rows.append(
            Figures(ROUTE_LABELS[Route.NONE], "none", found[Route.NONE], money.get(Route.NONE, {}))
        )
    return rows


def by_intended(scope):
    """Meant for RCS against meant for SMS, whatever carried them."""
    found = {
        row.pop("intended_channel"): row
        for row in scope.rollups().values("intended_channel").annotate(**_sums())
    }
    money = _revenues(scope, "intended_channel")
    return [
        Figures(INTENDED_LABELS[channel], channel, found.get(channel, {}), money.get(channel, {}))
        for channel in ("rcs", "sms")
    ]


def by_stage(scope):
    """The rollout stages: the first share, then the rest."""
    from campaigns.tallies import STAGE_LABELS

    rows = scope.rollups().values("stage").annotate(**_sums()).order_by("stage")
    return [
        Figures(
            STAGE_LABELS[row["stage"]] if row["stage"] < len(STAGE_LABELS) else str(row["stage"]),
            str(row["stage"]),
            row,
        )
        for row in rows
    ]


def by_arm(scope):
    """{arm: Figures} of the experiment's arms."""
    rows = scope.rollups().values("arm").annotate(**_sums())
    money = _revenues(scope, "arm")
    return {
        row["arm"]: Figures(row["arm"], row["arm"], row, money.get(row["arm"], {})) for row in rows
    }


@dataclass
class Failure:
    error_code: str
    route: str
    failed: int
    share: float


def deliverability(scope):
    """(flagged, delivered rate, failures by error code and channel, most first)."""
    figures = totals(scope)
    rows = (
        scope.rollups()
        .filter(failed__gt=0)
        .values("error_code", "route", "intended_channel")
        .annotate(failed=Sum("failed"))
        .order_by("-failed", "error_code")
    )
    failures = [
        Failure(
            row["error_code"] or "—",
            str(
                ROUTE_LABELS.get(row["route"])
                if row["route"]
                else INTENDED_LABELS.get(row["intended_channel"], "")
            ),
            row["failed"],
            row["failed"] / figures.attempted if figures.attempted else 0,
        )
        for row in rows[:20]
    ]
    rate = figures.delivered_rate
    return rate is not None and rate < DELIVERABILITY_FLOOR, rate, failures


@dataclass
class Share:
    label: str
    messages: int
    share: float


def capability_mix(scope):
    """What the audience could receive: RCS, and why the others went by SMS."""
    from sending.models import Message

    reasons = dict(Message.FallbackReason.choices)
    rows = (
        scope.rollups()
        .filter(attempted__gt=0)
        .values("intended_channel", "route", "fallback_reason")
        .annotate(messages=Sum("attempted"))
    )
    groups = {}
    for row in rows:
        if row["intended_channel"] == "sms":
            label = gettext_lazy("Sent by SMS only (by choice)")
        elif row["route"] == Route.RCS:
            label = gettext_lazy("Reached over RCS")
        elif row["fallback_reason"]:
            label = reasons.get(row["fallback_reason"], row["fallback_reason"])
        else:
            label = gettext_lazy("Meant for RCS, not carried")
        groups[str(label)] = groups.get(str(label), 0) + row["messages"]
    whole = sum(groups.values())
    return [
        Share(label, n, n / whole) for label, n in sorted(groups.items(), key=lambda item: -item[1])
    ]


@dataclass
class Button:
    cta_id: str
    label: str
    route: str
    channel_label: str
    taps_total: int
    taps_unique: int
    delivered: int

    @property
    def rate(self):
        return self.taps_unique / self.delivered if self.delivered else None


def buttons(scope, labels=None):
    """Each button (CTA) by channel: people who tapped, taps, and the rate among delivered."""
    labels = labels or {}
    delivered = {
        row["route"]: row["delivered"]
        for row in scope.rollups().values("route").annotate(delivered=Sum("delivered"))
    }
    rows = (
        scope.rollups(ButtonRollup)
        .values("cta_id", "route")
        .annotate(total=Sum("taps_total"), unique=Sum("taps_unique"))
        .order_by("cta_id", "route")
    )
    return [
        Button(
            row["cta_id"],
            labels.get(row["cta_id"], row["cta_id"]),
            row["route"],
            str(ROUTE_LABELS.get(row["route"], row["route"])),
            row["total"],
            row["unique"],
            delivered.get(row["route"], 0),
        )
        for row in rows
        if row["total"]
    ]


def hourly(scope):
    """[(local hour start, Figures)] of the period, in order: the time series of the send."""
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = scope.rollups().values("hour").annotate(**_sums()).order_by("hour")
    return [(row["hour"].astimezone(zone), Figures(key="", counts=row)) for row in rows]


def engagement(scope):
    """(by hour of day 0–23, by day of week 0=Monday–6), each a list of Figures, by the
    local hour the messages were sent."""
    hours = [Figures(f"{h:02d}:00", str(h)) for h in range(24)]
    days = [Figures(str(d), str(d)) for d in range(7)]
    for at, figures in hourly(scope):
        hours[at.hour].add(figures)
        days[at.weekday()].add(figures)
    return hours, days


def series(scope):
    """The send over time: by hour for up to three days, else by day."""
    points = hourly(scope)
    if not points:
        return "hour", []
    by_day = (points[-1][0] - points[0][0]).total_seconds() > 72 * 3600
    merged = {}
    for at, figures in points:
        start = at.replace(hour=0) if by_day else at
        merged.setdefault(start, Figures(key=start.isoformat())).add(figures)
    return ("day" if by_day else "hour"), sorted(merged.items())
