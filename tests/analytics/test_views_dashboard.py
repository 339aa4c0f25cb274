"""The dashboard counts live messages, and test messages only when asked, with a banner."""

import re

import pytest

from sending.models import Message
from tests.factories import make_contact, make_published_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def stat(page, name):
    return int(re.search(rf'data-stat="{name}">(\d+)<', page).group(1))


def message(version, *, test_mode, **fields):
    return Message.objects.create(
        contact=make_contact(test_mode=test_mode),
        template_version=version,
        traffic_type=version.traffic_type,
        intended_channel="rcs",
        rcs_ttl_seconds=3600,
        provider="simulator",
        test_mode=test_mode,
        **fields,
    )


@pytest.fixture
def messages():
    _template, version = make_published_template()
    message(version, test_mode=False, status="delivered", final_channel="rcs")
    for _ in range(4):
        message(version, test_mode=True, status="delivered", final_channel="sms")


def test_the_dashboard_counts_only_live_messages(client, messages):
    signed_in(client)
    page = client.get("/dashboard/").content.decode()

    assert [stat(page, name) for name in ("messages", "delivered", "rcs", "sms")] == [1, 1, 1, 0]
    assert "You are looking at test data" not in page


def test_the_dashboard_shows_test_messages_when_asked(client, messages):
    signed_in(client)
    page = client.get("/dashboard/?mode=test").content.decode()

    assert [stat(page, name) for name in ("messages", "delivered", "rcs", "sms")] == [4, 4, 0, 4]
    assert "You are looking at test data" in page
