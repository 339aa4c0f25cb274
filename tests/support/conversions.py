"""Helpers for the conversion tests: clicks as the drainer writes them, click ids as the
redirect hands them out, and the conversions API call."""

import json

from django.conf import settings

from analytics.models import Click
from messaging.links import click_id, derive_key


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


def click_id_for(message, at, cta_index=0):
    """The rl_click the redirect would give a click on message at the time at."""
    return click_id(message.pk, cta_index, int(at.timestamp()), derive_key(settings.SECRET_KEY))


def post_conversion(client, **body):
    """POST /api/v1/conversions with body as JSON; returns the response."""
    return client.post(
        "/api/v1/conversions", data=json.dumps(body, default=str), content_type="application/json"
    )
