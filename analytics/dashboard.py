"""Everything the dashboard shows for one scope, as tables, headline figures and chart data."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics import experiments, reports, tables


def button_labels(versions):
    """{cta_id: label} from the RCS content of these template versions."""
    labels = {}

    def walk(node):
        if isinstance(node, dict):
            cta_id = node.get("ctaId") or node.get("cta_id")
            if cta_id:
                inner = [node] + [v for v in node.values() if isinstance(v, dict)]
                text = next((d["text"] for d in inner if isinstance(d.get("text"), str)), "")
                labels.setdefault(cta_id, text or cta_id)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for version in versions:
        walk(version.rcs_content)
    return labels


def weekday_names():
    # A context of their own: with the bare msgid, this catalogue's capitalised "Lundi" would
    # also replace Django's "lundi" in every date the templates write ("ouvre lundi 7 décembre").
    return [
        pgettext("day of the week, as a heading", "Monday"),
        pgettext("day of the week, as a heading", "Tuesday"),
        pgettext("day of the week, as a heading", "Wednesday"),
        pgettext("day of the week, as a heading", "Thursday"),
        pgettext("day of the week, as a heading", "Friday"),
        pgettext("day of the week, as a heading", "Saturday"),
        pgettext("day of the week, as a heading", "Sunday"),
    ]


def build(scope, *, campaign=None, versions=()):
    """The dashboard of scope (campaign: its experiment and rollout too)."""
    total = reports.totals(scope)
    routes = reports.by_route(scope)
    intended = reports.by_intended(scope)
    flagged, delivered_rate, failures = reports.deliverability(scope)
    hours, days = reports.engagement(scope)
    for day, name in zip(days, weekday_names(), strict=True):
        day.label = name
    unit, points = reports.series(scope)
    buttons = reports.buttons(scope, button_labels(versions))
    stages = reports.by_stage(scope)
    experiment = experiments.read(campaign, scope) if campaign else None
    currencies = reports.currencies_of(total)
    main = currencies[0]
    all_tables = [
        tables.side_by_side(
            "channels",
            _("RCS and SMS side by side (actual channel)"),
            [*routes, total],
            currencies,
        ),
        tables.side_by_side("intended", _("By intended channel"), intended, currencies),
        tables.buttons_table(buttons),
        tables.series_table(unit, points),
        tables.figures_table("hours", _("Engagement by hour of day (sent at)"), _("Hour"), hours),
        tables.figures_table("weekdays", _("Engagement by day of week (sent on)"), _("Day"), days),
        tables.failures_table(failures),
        tables.capability_table(reports.capability_mix(scope)),
    ]
    if len(stages) > 1:
        all_tables.append(tables.figures_table("stages", _("Rollout stages"), _("Stage"), stages))
    if experiment:
        all_tables.append(tables.arms_table(experiment.arms))
    fmt = "H\\h" if unit == "hour" else "SHORT_DATE_FORMAT"
    rcs = routes[0]
    headline = [
        ("sent", _("Sent"), tables.count(total.sent)),
        ("delivered", _("Delivered"), tables.percent(total.delivered_rate, flagged)),
        ("read", _("Read (RCS)"), tables.percent(rcs.read_rate)),
        ("clicks", _("Unique click rate"), tables.percent(total.click_rate)),
        ("conversions", _("Conversion rate"), tables.percent(total.conversion_rate)),
        ("revenue", _("Revenue"), tables.money(total.revenue_in(main), main)),
        ("opt_outs", _("Opt-out rate"), tables.percent(total.opt_out_rate)),
        ("cost", _("Cost"), tables.euros(total.cost)),
        ("cost_per_conversion", _("Cost per conversion"), tables.euros(total.cost_per_conversion)),
    ]
    # Revenue in the other currencies, listed apart: never converted, never added.
    other_revenues = [
        (tables.money(total.revenue_in(currency), currency), total.revenues[currency][0])
        for currency in currencies[1:]
    ]
    return {
        "headline": headline,
        "other_revenues": other_revenues,
        "total": total,
        "routes": routes,
        "flagged": flagged,
        "delivered_rate": delivered_rate,
        "failures": failures[:5],
        "experiment": experiment,
        "tables": {t.slug: t for t in all_tables},
        "charts": {
            "series": {
                "labels": [date_format(at, fmt) for at, _f in points],
                "datasets": [
                    {"label": _("Sent"), "data": [f.sent for _a, f in points]},
                    {"label": _("Delivered"), "data": [f.delivered for _a, f in points]},
                    {
                        "label": _("People who clicked"),
                        "data": [f.clicks_unique for _a, f in points],
                    },
                ],
            },
            "hours": _rate_chart(hours),
            "weekdays": _rate_chart(days),
        },
    }


def _rate_chart(groups):
    return {
        "labels": [str(g.label) for g in groups],
        "datasets": [
            {
                "label": _("Unique click rate (%)"),
                "data": [
                    None if g.click_rate is None else round(g.click_rate * 100, 2) for g in groups
                ],
            }
        ],
    }
