"""Existing rows: contacts that only ever got test messages become test contacts."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from audience.models import Contact
from sending.models import Message
from tests.factories import make_contact, make_published_template

pytestmark = pytest.mark.django_db

migration = import_module("audience.migrations.0002_contact_test_mode")


def message_to(contact, version, *, test_mode):
    return Message.objects.create(
        contact=contact,
        template_version=version,
        traffic_type=version.traffic_type,
        intended_channel="rcs",
        rcs_ttl_seconds=3600,
        provider="simulator" if test_mode else "rbm",
        test_mode=test_mode,
    )


def test_contacts_of_test_messages_only_become_test_contacts():
    _template, version = make_published_template()
    now = timezone.now()
    only_test = make_contact(rcs_capable=False, rcs_checked_at=now)
    mixed = make_contact(rcs_capable=True, rcs_checked_at=now)
    only_live = make_contact(rcs_capable=True, rcs_checked_at=now)
    checked_only = make_contact(rcs_capable=False, rcs_checked_at=now)
    imported = make_contact(opted_in=True)
    message_to(only_test, version, test_mode=True)
    message_to(mixed, version, test_mode=True)
    message_to(mixed, version, test_mode=False)
    message_to(only_live, version, test_mode=False)

    migration.split_test_contacts(apps, None)

    modes = dict(Contact.objects.values_list("pk", "test_mode"))
    assert modes == {
        only_test.pk: True,
        mixed.pk: False,
        only_live.pk: False,
        checked_only.pk: False,
        imported.pk: False,
    }
    # A test contact keeps what it knew; a live contact that never got a live message forgets
    # a capability that may have been the simulator's answer to a test key.
    capability = dict(Contact.objects.values_list("pk", "rcs_capable"))
    assert capability[only_test.pk] is False
    assert capability[only_live.pk] is True
    assert capability[checked_only.pk] is None
    assert imported.consent_entries.exists()
