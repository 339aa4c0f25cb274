"""Helpers for the conversion tests: clicks as the drainer writes them, click ids as the
redirect hands them out, orders written as they are, and the conversions API call."""

import json
from decimal import Decimal

from analytics.models import Click, Conversion
from messaging.links import click_id, settings_keys


def make_click(message, at, *, cta_index=0, kind=Click.Kind.HUMAN, **overrides):
    """A click row on message's CTA cta_index at the time at, as the drainer writes it."""
    fields = {
        "message": message,
        "dispatch": message.dispatch,
        "cta_index": cta_index,
        "cta_id": f"cta_{cta_index}",
        "channel": message.final_channel or "rcs",
        "kind": kind,
        "agent": Click.Agent.BROWSER,
        "occurred_at": at,
        "test_mode": message.test_mode,
    }
    fields.update(overrides)
    return Click.objects.create(**fields)


def order(contact, at, value, currency="EUR"):
    """An order of contact at the time at, written as it is (no attribution)."""
    return Conversion.objects.create(
        order_id=f"CMD-{Conversion.objects.count() + 1}",
        value=Decimal(value),
        currency=currency,
        occurred_at=at,
        contact=contact,
    )


def click_id_for(message, at, cta_index=0, key=None):
    """The rl_click the redirect would give a click on message at the time at (signed with
    this installation's current key unless given)."""
    key = key or settings_keys()[0]
    return click_id(message.pk, cta_index, int(at.timestamp()), key)


def post_conversion(client, **body):
    """POST /api/v1/conversions with body as JSON; returns the response."""
    return client.post(
        "/api/v1/conversions", data=json.dumps(body, default=str), content_type="application/json"
    )
