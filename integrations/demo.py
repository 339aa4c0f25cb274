"""The people behind the demo audience's numbers (campaigns/demo.py) and their shop: what each
does with a demo message once it is delivered, acted out through the entry points real people
and shops use (here, with the shop connectors: the outside world as Relais sees it).

The simulator plays the network for these numbers (receipts, reads, fallbacks) but not the
people (messaging/providers/simulation.py, DEMO_AUDIENCE_PREFIX). When a message to one of
them is delivered, `people_react` draws, per message, whether the person

- clicks (RCS: 15 %, 13 % for content A, 17 % for B; SMS: 2.5 %): a job opens the message's
  tracked link on the web server like a phone's browser, so the redirect appends the click to
  the click stream and the drainer writes it;
- then orders (a fifth of those who click): the shop reports it to the conversions service
  with the click id of the landing URL, so the order is credited to the click;
- replies STOP (0.3 % on RCS, 0.6 % on SMS): posted through the simulator's signed inbound
  webhook, so the keyword opts the contact out.

`open_shop` adds the orders people place anyway (1 % of the demo audience, holdout included,
by phone), which the holdout comparison needs. Draws come from a generator seeded by the
number, the arm and the channel: the same person does the same thing on every install. Time is
compressed: a person acts within a few minutes of delivery, so the dashboard fills soon after
`make run`. Everything is test data.
"""

import hashlib
import random
import uuid
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import jobs
from analytics.attribution import record_conversion
from analytics.conversions import Conversion
from audience.models import Contact
from messaging import links
from messaging.providers.simulation import DEMO_AUDIENCE_PREFIX, weighted_index
from sending.models import Message
from sending.services.routing import SIMULATOR
from sending.services.simulation import post_events
from sending.signals import MessageEvent

SEED = "relais-demo-people"
# Per delivered message: the rate of clicks by the channel that delivered it (RCS by arm).
CLICK_RATES = {"rcs": 0.15, "a": 0.13, "b": 0.17, "sms": 0.025}
STOP_RATES = {"rcs": 0.003, "sms": 0.006}
ORDER_AFTER_CLICK = 0.2
ORDER_ANYWAY = 0.01
# Seconds after delivery (or after the click, for an order): (earliest, latest).
CLICK_AFTER = (5, 150)
ORDER_AFTER = (20, 240)
STOP_AFTER = (10, 90)
ANYWAY_AFTER = (30, 600)
# Order values in cents: (lowest, highest).
ORDER_CENTS = (1990, 14990)
TASK = "integrations.tasks.act_demo_people"
# A phone's browser: counted as a person (analytics/bots.py), never as a preview or a bot.
BROWSER = {
    "User-Agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    ),
    "Accept-Language": "fr-FR,fr;q=0.9",
}
TIMEOUT = (5.0, 30.0)
# Fixed, so a STOP acted out twice is one inbound event (the webhook dedupes by event id).
STOP_NAMESPACE = uuid.UUID("5d1c7a52-8e0b-4f8e-a4a9-3c3b0f6d2e71")
ANYWAY_PREFIX = "DEMO-ANY-"


class LinkNotFollowed(Exception):
    """The redirect did not answer a tracked link with a redirect; the job fails for a look."""


def _draws(*parts):
    digest = hashlib.sha256(":".join((SEED, *map(str, parts))).encode()).digest()
    return random.Random(digest)


def _between(draw, bounds):
    low, high = bounds
    return low + (high - low) * draw


def people_react(sender, changes, **kwargs):
    """On the delivery of demo messages, schedule what their people do (message_events)."""
    delivered = [
        change.message_id
        for change in changes
        if change.event == MessageEvent.DELIVERED and change.test_mode
    ]
    if not delivered:
        return
    rows = Message.objects.filter(
        pk__in=delivered,
        test_mode=True,
        provider=SIMULATOR,
        contact__phone__startswith=DEMO_AUDIENCE_PREFIX,
    ).values("pk", "public_id", "arm", "final_channel", "links", "contact__phone")
    schedule([action for row in rows for action in plan(row)])


def plan(row):
    """[(delay, action)]: what the person does with one delivered message (a values() row)."""
    channel = row["final_channel"] or "sms"
    phone = row["contact__phone"]
    draw = _draws(phone, row["arm"], channel)
    click, pick, click_at, order, order_at, cents, stop, stop_at = (draw.random() for _ in range(8))
    arm = row["arm"] if row["arm"] in ("a", "b") else "rcs"
    rate = CLICK_RATES["sms" if channel == "sms" else arm]
    indexes = [
        index
        for index, link in enumerate(row["links"] or [])
        if isinstance(link, dict) and link.get("channel") == channel
    ]
    actions = []
    if indexes and click < rate:
        index = indexes[weighted_index(len(indexes), pick)]
        action = {"do": "click", "message": row["pk"], "index": index}
        if order < ORDER_AFTER_CLICK:
            low, high = ORDER_CENTS
            action["order"] = {
                "order_id": f"DEMO-{row['public_id']}",
                "phone": phone,
                "value": str(Decimal(low + int((high - low) * cents)) / 100),
                "delay": _between(order_at, ORDER_AFTER),
            }
        actions.append((_between(click_at, CLICK_AFTER), action))
    if stop < STOP_RATES.get(channel, STOP_RATES["sms"]):
        event_id = uuid.uuid5(STOP_NAMESPACE, str(row["public_id"]))
        action = {"do": "stop", "number": phone, "channel": channel, "event_id": str(event_id)}
        actions.append((_between(stop_at, STOP_AFTER), action))
    return actions


def schedule(planned):
    """Queue the actions as delayed jobs, one per second of delay they share."""
    by_second = {}
    for delay, action in planned:
        by_second.setdefault(max(1, round(delay)), []).append(action)
    for delay, actions in sorted(by_second.items()):
        jobs.enqueue(TASK, actions, queue=jobs.DEFAULT, delay=delay)


def act(actions):
    """Do what the people decided: open tracked links, reply STOP, place orders."""
    stops = []
    for action in actions:
        if action["do"] == "click":
            _click(action)
        elif action["do"] == "order":
            _order(action)
        elif action["do"] == "stop":
            stops.append(action)
    if stops:
        post_events([_stop_event(action) for action in stops])


def open_link(url):
    """GET a tracked link as a phone's browser, without following the redirect (a seam)."""
    return requests.get(url, headers=BROWSER, allow_redirects=False, timeout=TIMEOUT)


def _click(action):
    code = links.encode(action["message"], action["index"], links.settings_keys()[0])
    path = reverse("analytics:follow", kwargs={"code": code})
    response = open_link(settings.INTERNAL_BASE_URL.rstrip("/") + path)
    if response.status_code != 302:
        raise LinkNotFollowed(f"{response.status_code} for the tracked link {path}")
    order = action.get("order")
    if order is None:
        return
    landing = urlsplit(response.headers["Location"])
    click_id = parse_qs(landing.query).get("rl_click", [None])[0]
    # The shop's order-confirmation page sends the click id of the landing URL (docs).
    jobs.enqueue(
        TASK,
        [{"do": "order", **order, "click": click_id}],
        queue=jobs.DEFAULT,
        delay=max(1, round(order["delay"])),
    )


def _order(action):
    record_conversion(
        order_id=action["order_id"],
        value=Decimal(action["value"]),
        currency="EUR",
        occurred_at=timezone.now(),
        click_id=action.get("click"),
        phone=action.get("phone"),
        test_mode=True,
    )


def _stop_event(action):
    """The planned event of a STOP reply, as the simulator's network sends an inbound text."""
    return {
        "event_id": action["event_id"],
        "type": "text",
        "delay_seconds": 0,
        "attempt_id": None,
        "provider_message_id": None,
        "number": action["number"],
        "channel": action["channel"],
        "cta_id": None,
        "text": "STOP",
        "url": None,
        "error_code": None,
    }


def open_shop():
    """Schedule the orders of the demo audience's people who buy without a message (holdout
    included), once: the order ids are fixed, so a second run adds nothing."""
    if Conversion.objects.filter(test_mode=True, order_id__startswith=ANYWAY_PREFIX).exists():
        return 0
    phones = Contact.objects.filter(test_mode=True, phone__startswith=DEMO_AUDIENCE_PREFIX)
    planned = []
    for phone in phones.order_by("phone").values_list("phone", flat=True):
        draw = _draws(phone, "anyway")
        buys, at, cents = (draw.random() for _ in range(3))
        if buys >= ORDER_ANYWAY:
            continue
        low, high = ORDER_CENTS
        action = {
            "do": "order",
            "order_id": f"{ANYWAY_PREFIX}{phone}",
            "value": str(Decimal(low + int((high - low) * cents)) / 100),
            "phone": phone,
        }
        planned.append((_between(at, ANYWAY_AFTER), action))
    schedule(planned)
    return len(planned)
