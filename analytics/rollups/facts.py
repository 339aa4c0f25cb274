"""What each message adds to the rollups, computed from its raw rows."""

from decimal import Decimal

from analytics.rollup_models import BUTTON_KEY, COUNTERS, CURRENCY_KEY, KEY, Route
from analytics.rollups import sources
from messaging.providers.normalized import Channel
from sending.models import Attempt, Message

Status = Message.Status
DELIVERED = {Status.DELIVERED, Status.READ}
FAILED = {Status.FAILED, Status.EXPIRED}
NOT_ATTEMPTED = {Status.QUEUED, Status.SENDING, Status.CANCELLED, Status.SUPPRESSED}

FIELDS = (
    "id",
    "test_mode",
    "dispatch__campaign_arm__campaign_id",
    "arm",
    "stage",
    "template_version_id",
    "intended_channel",
    "final_channel",
    "fallback_reason",
    "status",
    "status_reason",
    "sent_at",
    "created",
    "sms_segments",
    "contact_id",
)


def route_of(intended, final):
    """RCS, SMS fallback (meant for RCS, carried by SMS), SMS only, or not carried."""
    if final == Channel.RCS:
        return Route.RCS
    if final == Channel.SMS:
        return Route.SMS_FALLBACK if intended == Channel.RCS else Route.SMS_ONLY
    return Route.NONE


def empty():
    """The fact of a message that adds nothing (gone, or never seen)."""
    return {"key": None, "counts": dict.fromkeys(COUNTERS, 0), "buttons": {}, "revenues": {}}


def compute(message_ids):
    """{message_id: fact} for these messages; a missing message gets the empty fact."""
    message_ids = list(message_ids)
    rows = list(Message.objects.filter(pk__in=message_ids).values(*FIELDS))
    failed_ids = [m["id"] for m in rows if m["status"] in FAILED]
    errors = dict(
        Attempt.objects.filter(message_id__in=failed_ids)
        .exclude(error_code="")
        .order_by("message_id", "created", "pk")
        .values_list("message_id", "error_code")
    )
    clicks = sources.clicks_of(message_ids)
    conversions = sources.conversions_of(message_ids)
    opted_out = sources.opt_outs_of(rows)
    facts = {message_id: empty() for message_id in message_ids}
    for m in rows:
        facts[m["id"]] = fact_of(
            m,
            error=errors.get(m["id"], ""),
            clicks=clicks.get(m["id"], ()),
            conversions=conversions.get(m["id"], ()),
            opted_out=m["id"] in opted_out,
        )
    return facts


def fact_of(m, *, error, clicks, conversions, opted_out):
    """The fact of one message row (a dict of FIELDS) and its raw rows."""
    status = m["status"]
    route = route_of(m["intended_channel"], m["final_channel"])
    failed = status in FAILED
    attempted = status not in NOT_ATTEMPTED or m["sent_at"] is not None
    delivered = status in DELIVERED
    key = {
        "test_mode": m["test_mode"],
        "campaign_id": m["dispatch__campaign_arm__campaign_id"] or 0,
        "arm": m["arm"],
        "stage": m["stage"],
        "template_version_id": m["template_version_id"] or 0,
        "intended_channel": m["intended_channel"],
        "route": route,
        "fallback_reason": m["fallback_reason"],
        "error_code": (error or m["status_reason"]) if failed else "",
        "hour": (m["sent_at"] or m["created"]).replace(minute=0, second=0, microsecond=0),
    }
    humans = [cta for cta, kind in clicks if kind == sources.HUMAN]
    buttons = {}
    for cta in humans:
        buttons.setdefault(cta, [0, 1])[0] += 1
    # Per currency, never added across currencies: {currency: [conversions, "revenue"]}.
    revenues = {}
    for value, currency in conversions:
        count, total = revenues.get(currency, (0, "0"))
        revenues[currency] = [count + 1, str(Decimal(total) + Decimal(str(value)))]
    counts = {
        "messages": 1,
        "attempted": int(attempted),
        "sent": int(m["sent_at"] is not None),
        "delivered": int(delivered),
        "read": int(status == Status.READ),
        "failed": int(failed and attempted),
        "rcs_billable": int(delivered and route == Route.RCS),
        "sms_segments": m["sms_segments"] if m["sent_at"] and m["final_channel"] == "sms" else 0,
        "opted_out": int(opted_out),
        "clicks_total": len(humans),
        "clicks_unique": int(bool(humans)),
        "clicks_bot": sum(1 for _cta, kind in clicks if kind == sources.BOT),
        "clicks_suspected": sum(1 for _cta, kind in clicks if kind == sources.SUSPECTED),
        "conversions": len(conversions),
    }
    return {"key": key, "counts": counts, "buttons": buttons, "revenues": revenues}


def key_tuple(key):
    return tuple(key[name] for name in KEY)


def button_key_tuple(key, cta_id):
    return tuple(cta_id if name == "cta_id" else key[name] for name in BUTTON_KEY)


def currency_key_tuple(key, currency):
    return tuple(currency if name == "currency" else key[name] for name in CURRENCY_KEY)
