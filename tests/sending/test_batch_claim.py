"""The claim of a batch: a lock that writes nothing, messages loaded as the ORM would load them."""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from audience.models import Contact
from sending import services
from sending.models import Message, SendingPause
from sending.services import ceiling, claim_sql
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.batches import claim_batch
from tests.support.reconcilers import in_threads

SPEC = {"prenom": {"field": "first_name", "default": "client"}}


def snapshot(count, **fields):
    _template, version = make_published_template(slug="promo_claim")
    ids = [make_contact(opted_in=True, test_mode=True, **fields).pk for _ in range(count)]
    dispatch = make_dispatch(version)
    return dispatch, services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)


@pytest.mark.django_db
def test_a_locked_message_reads_as_the_orm_loads_it():
    dispatch, message_ids = snapshot(2)

    with transaction.atomic():
        locked = claim_sql.lock_batch(dispatch.pk, message_ids, now=timezone.now())

    assert [message.pk for message in locked] == sorted(message_ids)
    for message in locked:
        loaded = Message.objects.select_related("contact").get(pk=message.pk)
        for field in Message._meta.concrete_fields:
            assert getattr(message, field.attname) == getattr(loaded, field.attname), field
        for field in Contact._meta.concrete_fields:
            assert getattr(message.contact, field.attname) == getattr(
                loaded.contact, field.attname
            ), field
        assert (message.has_attempt, message.interrupted) == (False, False)
        assert not message._state.adding


def test_nothing_listens_to_the_creation_of_messages_or_contacts():
    """The claim builds its instances without Model.__init__, which sends these signals."""
    for model in (Message, Contact):
        assert not pre_init.has_listeners(model)
        assert not post_init.has_listeners(model)


@pytest.mark.django_db
def test_the_lock_writes_nothing_and_the_lease_is_saved_with_what_was_read():
    dispatch, message_ids = snapshot(1)
    before = Message.objects.values().get()

    with transaction.atomic():
        (message,) = claim_sql.lock_batch(dispatch.pk, message_ids, now=timezone.now())
    assert Message.objects.values().get() == before

    later = timezone.now()
    claim_sql.take_lease([message], now=later, until=later)
    message.save()
    after = Message.objects.values().get()
    assert (after["status"], after["locked_until"], after["send_tries"]) == ("sending", later, 1)
    assert after["updated"] >= later
    assert after["created"] == before["created"]


@pytest.mark.django_db
def test_a_message_held_by_the_hourly_ceiling_is_saved_queued_with_its_try_counted(settings):
    settings.SENDING_HOURLY_CEILINGS = {"FR": 2, "*": 5}
    client = ceiling._client(django_settings.REDIS_URL)
    keys = client.keys(f"{django_settings.CACHES['default']['KEY_PREFIX']}:ceiling:*")
    if keys:
        client.delete(*keys)
    dispatch, message_ids = snapshot(3, rcs_capable=False, rcs_checked_at=timezone.now())
    now = timezone.now()
    until = now + timezone.timedelta(seconds=30)

    prepared = claim_batch(dispatch, message_ids, now=now, until=until)

    assert len(prepared) == 2
    pause = SendingPause.objects.get()
    rows = Message.objects.order_by("pk").values_list(
        "status", "status_reason", "locked_until", "send_tries"
    )
    held = ("queued", "country_paused", pause.until, 1)
    assert sorted(rows) == sorted([("sending", "", until, 1)] * 2 + [held])
    for text, updated in Message.objects.values_list("sms_text", "updated"):
        assert text and updated >= now


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_skips_the_messages_a_first_one_holds_and_does_not_wait():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time and no row locks")
    dispatch, message_ids = snapshot(3)
    held, free = sorted(message_ids)[:2], sorted(message_ids)[2:]
    locked, release = threading.Event(), threading.Event()

    def first_worker():
        with transaction.atomic():
            claim_sql.lock_batch(dispatch.pk, held, now=timezone.now())
            locked.set()
            assert release.wait(30)

    def second_worker():
        try:
            assert locked.wait(30)
            with transaction.atomic():
                taken = claim_sql.lock_batch(dispatch.pk, message_ids, now=timezone.now())
            return [message.pk for message in taken]
        finally:
            release.set()

    _first, taken = in_threads(first_worker, second_worker)
    assert taken == free
