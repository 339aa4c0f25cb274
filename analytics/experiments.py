"""A campaign's experiment read from the rollups: each arm's rates with intervals, the lift,
the holdout, and one sentence saying it plainly."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from iso4217 import Currency

from analytics import reports, stats
from analytics.rollups.holdout import Group, holdout_groups

# (arm compared, arm it is compared with) per kind of experiment.
PAIRS = {"channel": ("rcs", "sms"), "content": ("b", "a")}


def arm_labels():
    return {
        "": _("Everyone"),
        "rcs": _("RCS"),
        "sms": _("SMS"),
        "outside": _("Outside the test"),
        "a": _("Version A"),
        "b": _("Version B"),
    }


@dataclass
class Arm:
    """One arm: its contacts (messages) and its rates per contact, with 95 % intervals."""

    key: str
    label: str
    figures: reports.Figures
    clicks: stats.Rate
    conversions: stats.Rate
    delivered: stats.Rate


@dataclass
class Holdout:
    """The campaign's contacts against its holdout, over the same window after the launch.

    Both sides count every conversion of their contacts in the window, attributed or not
    (analytics.rollups.holdout); the attributed conversions of the arms are shown apart and
    never compared with the holdout.
    """

    contacts: int
    treated: Group
    held: Group
    buyers: stats.Comparison  # share of contacts who ordered, treated against holdout
    incremental_buyers: tuple  # (value, low, high) in contacts who ordered
    # [(currency, (value, low, high))]: the main currency first, then each other one the
    # conversions of either group were in; each compared on its own, nothing converted.
    incremental_revenues: list
    window_days: int = 0

    @property
    def revenue_lines(self):
        """[(currency, value, low, high)] as text, each with its currency's decimal places."""
        lines = []
        for currency, values in self.incremental_revenues:
            if values[0] is None:
                continue
            places = Currency(currency).exponent or 0
            lines.append((currency, *(number_format(round(v, places), places) for v in values)))
        return lines


@dataclass
class Experiment:
    kind: str
    arms: list
    lift: stats.Comparison | None
    sentence: str
    holdout: Holdout | None


def read(campaign, scope):
    """The experiment of campaign (None without experiment or holdout) over scope."""
    has_test = campaign.experiment in PAIRS
    if not has_test and not campaign.holdout_share:
        return None
    labels = arm_labels()
    figures = reports.by_arm(scope)
    arms = [
        Arm(
            key,
            labels.get(key, key),
            f,
            stats.rate(f.clicks_unique, f.messages),
            stats.rate(f.conversions, f.messages),
            stats.rate(f.delivered, f.attempted),
        )
        for key, f in sorted(figures.items())
    ]
    lift, sentence = None, ""
    if has_test:
        first, second = PAIRS[campaign.experiment]
        a, b = figures.get(first), figures.get(second)
        if a and b:
            lift = stats.compare(a.clicks_unique, a.messages, b.clicks_unique, b.messages)
            sentence = say(campaign.experiment, labels[first], labels[second], lift)
    return Experiment(campaign.experiment, arms, lift, sentence, holdout(campaign, figures))


def holdout(campaign, figures):
    """Buyers and revenue of the contacts the campaign addressed against its holdout."""
    if not campaign.holdout_share:
        return None
    treated, held = holdout_groups(campaign)
    buyers = stats.compare(treated.buyers, treated.contacts, held.buyers, held.contacts)
    n = treated.contacts
    main = settings.REPORTING_CURRENCY
    currencies = [main, *sorted((set(treated.revenues) | set(held.revenues)) - {main})]
    revenues = []
    for currency in currencies:
        mine, theirs = treated.revenue_in(currency), held.revenue_in(currency)
        per_contact = stats.mean_difference(
            treated.contacts,
            float(mine.total),
            mine.total_sq,
            held.contacts,
            float(theirs.total),
            theirs.total_sq,
        )
        revenues.append(
            (currency, _scaled(n, per_contact.difference, per_contact.low, per_contact.high))
        )
    return Holdout(
        held.contacts,
        treated,
        held,
        buyers,
        _scaled(n, buyers.difference, buyers.difference_low, buyers.difference_high),
        revenues,
        settings.CONVERSION_CLICK_WINDOW_DAYS,
    )


def _scaled(n, *values):
    return tuple(None if v is None else v * n for v in values)


def _x(value):
    return number_format(round(value, 1), 1)


def say(kind, first, second, lift):
    """One sentence a stakeholder reads: who got how many times the clicks of whom."""
    contacts = lift.a.trials + lift.b.trials
    if lift.ratio is None:
        return _("Not enough clicks yet to compare %(a)s with %(b)s.") % {"a": first, "b": second}
    values = {
        "a": first,
        "b": second,
        "ratio": _x(lift.ratio),
        "low": _x(lift.ratio_low),
        "high": _x(lift.ratio_high),
        "contacts": number_format(contacts, force_grouping=True),
    }
    if kind == "channel":
        text = _(
            "%(a)s got %(ratio)s× the clicks of %(b)s, 95 %% CI %(low)s×–%(high)s×, "
            "on %(contacts)s capable contacts."
        )
    else:
        text = _(
            "%(a)s got %(ratio)s× the clicks of %(b)s, 95 %% CI %(low)s×–%(high)s×, "
            "on %(contacts)s contacts."
        )
    sentence = text % values
    if not lift.significant:
        sentence += " " + _("The difference is not significant.")
    return sentence
