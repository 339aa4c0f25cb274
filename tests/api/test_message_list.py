"""GET /api/v1/messages (cursor pages, filters) and GET /api/v1/messages/by-external-id/…"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import CampaignArm
from sending.models import Message
from tests.factories import make_campaign, make_contact, make_dispatch, make_published_template

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def make_messages(count, *, test_mode=True, same_time_every=1, **fields):
    """count messages of one mode, oldest first; groups of same_time_every share their
    creation time to the microsecond (a batch writes them so), so only the id orders them."""
    _template, version = make_published_template()
    contact = make_contact(test_mode=test_mode)
    base = timezone.now() - timedelta(days=1)
    values = {
        "contact": contact,
        "template_version": version,
        "traffic_type": "PROMOTION",
        "intended_channel": "rcs",
        "status": "delivered",
        "final_channel": "rcs",
        "rcs_ttl_seconds": 3600,
        "provider": "simulator",
        "test_mode": test_mode,
        **fields,
    }
    messages = Message.objects.bulk_create(Message(**values) for _ in range(count))
    for position, message in enumerate(messages):
        message.created = base + timedelta(seconds=position // same_time_every)
    Message.objects.bulk_update(messages, ["created"], batch_size=1000)
    return messages


def page_ids(api, **params):
    response = api.get("/api/v1/messages", params)
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["id"] for item in body["results"]], body


def test_paging_through_2500_messages_gives_each_once_even_while_new_ones_arrive(api):
    messages = make_messages(2500, same_time_every=7)
    expected = {str(message.public_id) for message in messages}
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 100}
        if after:
            params["starting_after"] = after
        ids, body = page_ids(api, **params)
        seen += ids
        pages += 1
        # New messages arrive between two pages; their creation times fall among the oldest
        # ones not read yet (a clock behind, a transaction that committed late).
        make_messages(3)
        if not body["has_more"]:
            assert body["next"] is None
            break
        after = ids[-1]
        assert body["next"].endswith(f"starting_after={after}")
    assert len(seen) == len(set(seen)), "a message was repeated"
    assert expected <= set(seen), f"{len(expected - set(seen))} messages were skipped"
    assert pages >= 25  # the new ones among the unread also come, once


def test_newest_first_by_creation_then_id(api):
    messages = make_messages(5, same_time_every=5)
    ids, body = page_ids(api)
    assert ids == [str(message.public_id) for message in reversed(messages)]
    assert body["has_more"] is False


def test_limit_defaults_to_20_and_stops_at_100(api):
    make_messages(120)
    ids, body = page_ids(api)
    assert len(ids) == 20 and body["has_more"] is True
    ids, _body = page_ids(api, limit=100)
    assert len(ids) == 100
    too_many = api.get("/api/v1/messages", {"limit": 101})
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "limit"


def test_a_key_lists_only_the_messages_of_its_mode(api, live_key, client_for):
    test_messages = make_messages(2)
    live_messages = make_messages(3, test_mode=False)
    ids, _body = page_ids(api)
    assert set(ids) == {str(m.public_id) for m in test_messages}
    ids, _body = page_ids(client_for(live_key[1]))
    assert set(ids) == {str(m.public_id) for m in live_messages}


@pytest.mark.parametrize("starting_after", ["not-an-id", "7c9e6679-7425-40de-944b-e07fc1f90ae7"])
def test_a_starting_after_that_is_not_a_message_of_the_key_is_422(api, starting_after):
    response = api.get("/api/v1/messages", {"starting_after": starting_after})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_starting_after"
    assert response.json()["errors"][0]["field"] == "starting_after"


def test_a_live_message_id_is_no_cursor_for_a_test_key(api):
    live = make_messages(1, test_mode=False)[0]
    response = api.get("/api/v1/messages", {"starting_after": str(live.public_id)})
    assert response.json()["code"] == "invalid_starting_after"


def test_filters_by_status_channel_external_id_and_creation_time(api):
    delivered = make_messages(2)
    failed_sms = make_messages(1, status="failed", final_channel="sms")
    queued_sms = make_messages(1, status="queued", final_channel="", intended_channel="sms")
    ours = make_messages(1, external_id="order-1042")

    def ids(**params):
        return set(page_ids(api, **params)[0])

    def of(*groups):
        return {str(m.public_id) for group in groups for m in group}

    assert ids(status="failed") == of(failed_sms)
    assert ids(channel="sms") == of(failed_sms, queued_sms)
    assert ids(external_id="order-1042") == of(ours)
    assert ids(status="delivered", channel="rcs") == of(delivered, ours)
    first = Message.objects.get(pk=delivered[0].pk).created
    assert ids(created_lt=first.isoformat()) == set()
    assert ids(created_gte=first.isoformat()) == of(delivered, failed_sms, queued_sms, ours)
    one_instant = {
        "created_gte": first.isoformat(),
        "created_lt": (first + timedelta(microseconds=1)).isoformat(),
    }
    assert ids(**one_instant) == of(delivered[:1])


def test_the_next_url_keeps_the_filters(api):
    make_messages(3, external_id="order-7")
    make_messages(2)
    ids, body = page_ids(api, external_id="order-7", limit=2)
    assert len(ids) == 2 and "external_id=order-7" in body["next"]
    rest = api.get(body["next"]).json()
    assert len(rest["results"]) == 1 and rest["has_more"] is False


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "lost"}, "status"),
        ({"channel": "fax"}, "channel"),
        ({"created_gte": "2026-12-05T10:00:00"}, "created_gte"),  # no time zone
        ({"campaign_id": "nope"}, "campaign_id"),
    ],
)
def test_bad_filters_are_422_naming_them(api, params, field):
    response = api.get("/api/v1/messages", params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_filter_by_campaign(api):
    campaign = make_campaign()
    # A draft has no dispatch yet: give it one, as launching does.
    arm = CampaignArm.objects.create(
        campaign=campaign, dispatch=make_dispatch(campaign.template_version)
    )
    of_campaign = make_messages(1, dispatch=arm.dispatch, source="campaign")
    make_messages(2)
    ids, _body = page_ids(api, campaign_id=str(campaign.public_id))
    assert set(ids) == {str(m.public_id) for m in of_campaign}
    unknown = api.get("/api/v1/messages", {"campaign_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_campaign"


def test_by_external_id_reads_the_newest_message_with_it(api, live_key, client_for):
    older, newer = make_messages(2, external_id="order-1042")
    response = api.get("/api/v1/messages/by-external-id/order-1042")
    assert response.status_code == 200
    assert response.json()["id"] == str(newer.public_id)
    assert response.json()["external_id"] == "order-1042"
    assert api.get("/api/v1/messages/by-external-id/order-9").status_code == 404
    # A live key does not see test messages.
    live = client_for(live_key[1]).get("/api/v1/messages/by-external-id/order-1042")
    assert live.status_code == 404


def test_an_external_id_with_spaces_is_found_when_encoded_and_one_with_a_slash_by_filter(api):
    (spaced,) = make_messages(1, external_id="commande 12 B")
    response = api.get("/api/v1/messages/by-external-id/commande%2012%20B")
    assert response.status_code == 200
    assert response.json()["id"] == str(spaced.public_id)
    # A slash ends a path segment, even encoded: the list's filter finds it.
    (slashed,) = make_messages(1, external_id="12/B")
    assert api.get("/api/v1/messages/by-external-id/12%2FB").status_code == 404
    ids, _body = page_ids(api, external_id="12/B")
    assert ids == [str(slashed.public_id)]


def test_list_items_are_the_message_as_its_own_page_shows_it(api):
    (message,) = make_messages(1)
    listed = page_ids(api)[1]["results"][0]
    assert listed == api.get(f"/api/v1/messages/{message.public_id}").json()


@pytest.mark.parametrize(
    "moment",
    [
        # Found by the schema fuzzer: ISO 8601 allows offsets PostgreSQL refuses (±16:00 on).
        "0860-05-01T00:25:48.219116+20:21",
        "2026-12-05T10:00:00-23:59",
    ],
)
def test_a_far_time_zone_offset_is_read_in_utc(api, moment):
    make_messages(2)
    response = api.get("/api/v1/messages", {"created_gte": moment})
    assert response.status_code == 200
    response = api.get("/api/v1/messages", {"created_lt": moment})
    assert response.status_code == 200


def test_a_moment_that_does_not_exist_in_utc_is_422(api):
    response = api.get("/api/v1/messages", {"created_gte": "0001-01-01T00:00:00+01:00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "created_gte"
