"""The dashboard's tables, each defined once: shown on the page and exported as CSV."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from iso4217 import Currency


@dataclass(frozen=True)
class Cell:
    """A value as exported (raw) and as shown (text)."""

    value: object
    text: str
    flagged: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list
    rows: list  # lists of Cell


def count(value):
    return Cell(value, number_format(value or 0, force_grouping=True))


def _one(value):
    return number_format(round(value, 1), 1)


def percent(value, flagged=False):
    if value is None:
        return Cell("", "—")
    return Cell(round(value * 100, 2), f"{number_format(round(value * 100, 1), 1)} %", flagged)


def euros(value):
    return money(value, "EUR")


def money(value, currency):
    """An amount in its own currency: its minor units, € for euros, the code for the others."""
    if value is None:
        return Cell("", "—")
    places = Currency(currency).exponent or 0
    symbol = "€" if currency == "EUR" else currency
    return Cell(
        f"{value:.{places}f}", f"{number_format(value, places, force_grouping=True)} {symbol}"
    )


def text(value):
    return Cell(str(value), str(value))


def ratio(value):
    return Cell(
        "" if value is None else round(value, 3),
        "—" if value is None else f"{number_format(value, 2)}×",
    )


# What the prices (RCS_PRICE_EUR, SMS_SEGMENT_PRICE_EUR) and so every cost are in.
COST_CURRENCY = "EUR"


def metric_rows(currencies):
    """(name, label, currency, cell of a Figures) for each line of the channel comparison: one
    revenue line per currency (never added together), the main currency's first."""
    revenue = [
        (
            f"revenue_{currency}",
            _("Revenue (%(currency)s)") % {"currency": currency},
            currency,
            lambda f, currency=currency: money(f.revenue_in(currency), currency),
        )
        for currency in currencies
    ]
    return [
        ("sent", _("Sent"), "", lambda f: count(f.sent)),
        ("delivered_rate", _("Delivered"), "", lambda f: percent(f.delivered_rate)),
        ("read_rate", _("Read (RCS)"), "", lambda f: percent(f.read_rate)),
        ("click_rate", _("Unique click rate"), "", lambda f: percent(f.click_rate)),
        ("clicks_total", _("Clicks (all taps)"), "", lambda f: count(f.clicks_total)),
        (
            "clicks_bots",
            _("Bot and suspected bot clicks (not counted)"),
            "",
            lambda f: count(f.clicks_bot + f.clicks_suspected),
        ),
        ("conversion_rate", _("Conversion rate"), "", lambda f: percent(f.conversion_rate)),
        *revenue,
        ("opt_out_rate", _("Opt-out rate"), "", lambda f: percent(f.opt_out_rate)),
        ("cost", _("Cost"), COST_CURRENCY, lambda f: money(f.cost, COST_CURRENCY)),
        (
            "cost_per_conversion",
            _("Cost per conversion"),
            COST_CURRENCY,
            lambda f: money(f.cost_per_conversion, COST_CURRENCY),
        ),
    ]


def side_by_side(slug, title, groups, currencies):
    """Metrics down, groups (channels) across; amounts carry their currency in a column."""
    columns = [_("Measure"), _("Currency"), *[str(g.label) for g in groups]]
    rows = [
        [text(label), text(currency), *[cell(g) for g in groups]]
        for _name, label, currency, cell in metric_rows(currencies)
    ]
    return Table(slug, title, columns, rows)


def figures_table(slug, title, first_column, groups):
    """One line per group (a stage, an hour, a day), the main rates across."""
    columns = [
        first_column,
        _("Sent"),
        _("Delivered"),
        _("Unique click rate"),
        _("Opt-out rate"),
        _("Failed"),
    ]
    rows = [
        [
            text(g.label),
            count(g.sent),
            percent(g.delivered_rate),
            percent(g.click_rate),
            percent(g.opt_out_rate),
            count(g.failed),
        ]
        for g in groups
    ]
    return Table(slug, title, columns, rows)


def buttons_table(buttons):
    columns = [
        _("Button"),
        _("CTA id"),
        _("Channel"),
        _("People who tapped"),
        _("Taps"),
        _("Rate (of delivered)"),
    ]
    rows = [
        [
            text(b.label),
            text(b.cta_id),
            text(b.channel_label),
            count(b.taps_unique),
            count(b.taps_total),
            percent(b.rate),
        ]
        for b in buttons
    ]
    return Table("buttons", _("Buttons"), columns, rows)


def failures_table(failures):
    columns = [_("Error code"), _("Channel"), _("Failed"), _("Share of attempted")]
    rows = [
        [text(f.error_code), text(f.route), count(f.failed), percent(f.share)] for f in failures
    ]
    return Table("failures", _("Failures by error code"), columns, rows)


def capability_table(shares):
    columns = [_("Audience"), _("Messages"), _("Share")]
    rows = [[text(s.label), count(s.messages), percent(s.share)] for s in shares]
    return Table("capability", _("Capability mix of the audience"), columns, rows)


def series_table(unit, points):
    first = _("Hour") if unit == "hour" else _("Day")
    fmt = "%Y-%m-%d %H:00" if unit == "hour" else "%Y-%m-%d"
    columns = [first, _("Sent"), _("Delivered"), _("People who clicked")]
    rows = [
        [text(at.strftime(fmt)), count(f.sent), count(f.delivered), count(f.clicks_unique)]
        for at, f in points
    ]
    return Table("series", _("The send over time"), columns, rows)


def arms_table(arms):
    columns = [
        _("Arm"),
        _("Contacts"),
        _("Delivered"),
        _("Unique click rate"),
        # xgettext:no-python-format
        _("95 % interval"),
        _("Conversion rate"),
        # xgettext:no-python-format
        _("95 % interval"),
    ]

    def interval(r):
        if r.value is None:
            return Cell("", "—")
        return Cell(
            f"{r.low:.4f}–{r.high:.4f}",
            f"{_one(r.low * 100)}–{_one(r.high * 100)} %",
        )

    rows = [
        [
            text(a.label),
            count(a.figures.messages),
            percent(a.delivered.value),
            percent(a.clicks.value),
            interval(a.clicks),
            percent(a.conversions.value),
            interval(a.conversions),
        ]
        for a in arms
    ]
    return Table("arms", _("Experiment arms"), columns, rows)
