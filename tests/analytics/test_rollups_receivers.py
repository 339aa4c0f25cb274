"""The rollups hear a STOP through the ledger's signal, and buttons get their editor labels."""

from types import SimpleNamespace

import pytest
from django.db.models import Sum

from analytics.dashboard import button_labels
from analytics.models import Rollup
from analytics.rollups.apply import refresh
from audience.models import ConsentEntry
from tests.support.analytics import T0, campaign_with_arms, message
from tests.support.views import card_content

pytestmark = pytest.mark.django_db


def test_a_stop_reply_counts_against_the_message_before_it(
    django_capture_on_commit_callbacks, rollup_queue
):
    _campaign, dispatches = campaign_with_arms()
    sent = message(dispatches[""], final="rcs", status="delivered", sent_at=T0)
    refresh([sent.pk])
    assert Rollup.objects.aggregate(n=Sum("opted_out"))["n"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        ConsentEntry.objects.create(
            contact=sent.contact,
            kind="opt_out",
            source="inbound_stop",
            wording="STOP",
            occurred_at=T0.replace(hour=11),
        )
    assert Rollup.objects.aggregate(n=Sum("opted_out"))["n"] == 0  # queued, not refreshed yet
    rollup_queue.drain()

    assert Rollup.objects.aggregate(n=Sum("opted_out"))["n"] == 1


def test_an_operator_opt_out_is_not_a_reply_to_the_message(
    django_capture_on_commit_callbacks, rollup_queue
):
    _campaign, dispatches = campaign_with_arms()
    sent = message(dispatches[""], final="rcs", status="delivered", sent_at=T0)
    refresh([sent.pk])

    with django_capture_on_commit_callbacks(execute=True):
        ConsentEntry.objects.create(
            contact=sent.contact,
            kind="opt_out",
            source="operator",
            wording="Asked by phone",
            occurred_at=T0.replace(hour=11),
        )
    rollup_queue.drain()

    assert Rollup.objects.aggregate(n=Sum("opted_out"))["n"] == 0


def test_buttons_are_named_by_their_label_in_the_template():
    version = SimpleNamespace(rcs_content=card_content(label="Voir les offres"))

    assert button_labels([version]) == {"cta_offres01": "Voir les offres"}
