"""The demo audience's people: what they draw per delivered message, at the field's rates, and
how they act it out (the tracked link, the conversions service, the inbound STOP)."""

import pytest
from django.conf import settings
from django.test import Client

from analytics.models import Click, Conversion
from analytics.services import drain_clicks
from audience.models import ConsentEntry, Contact
from integrations import demo
from messaging.providers.simulation import demo_number
from sending import services
from sending.models import Message
from tests.factories import make_contact, make_published_template

LINKS = [
    {"cta": "cta_1", "url": "https://shop.example/soldes", "channel": "rcs"},
    {"cta": "cta_2", "url": "https://shop.example/homme", "channel": "rcs"},
    {"cta": "cta_1", "url": "https://shop.example/soldes", "channel": "sms"},
]
VARIABLES = {"prenom": "Camille"}


def run(jobs, captured):
    """Run the jobs, the announcements after each commit, and the jobs these queue, in turn."""
    for _round in range(5):
        with captured(execute=True):
            jobs.run()


def row(index, arm="rcs", channel="rcs", links=LINKS):
    return {
        "pk": index + 1,
        "public_id": f"00000000-0000-0000-0000-{index:012d}",
        "arm": arm,
        "final_channel": channel,
        "links": links,
        "contact__phone": demo_number(index),
    }


def shares(arm, channel, count=10_000):
    """(click, order among clicks, stop) shares over count people given one message each."""
    clicks = orders = stops = 0
    for index in range(count):
        for _delay, action in demo.plan(row(index, arm, channel)):
            if action["do"] == "click":
                clicks += 1
                orders += "order" in action
            else:
                stops += 1
    return clicks / count, orders / max(clicks, 1), stops / count


@pytest.mark.parametrize(
    ("arm", "channel", "low", "high"),
    [
        ("rcs", "rcs", 0.13, 0.17),
        ("", "rcs", 0.13, 0.17),
        ("a", "rcs", 0.115, 0.145),
        ("b", "rcs", 0.155, 0.185),
        ("sms", "sms", 0.02, 0.03),
        # An RCS message that fell back is read as an SMS.
        ("a", "sms", 0.02, 0.03),
    ],
)
def test_people_click_at_the_field_rates(arm, channel, low, high):
    clicked, ordered, stopped = shares(arm, channel)

    assert low < clicked < high
    assert 0.15 < ordered < 0.25
    assert stopped < 0.012


def test_a_few_people_reply_stop():
    assert 0.0015 < shares("rcs", "rcs")[2] < 0.0045
    assert 0.0035 < shares("sms", "sms")[2] < 0.0085


def test_a_person_does_the_same_with_the_same_message_and_acts_after_delivery():
    planned = [demo.plan(row(index)) for index in range(2000)]

    assert planned == [demo.plan(row(index)) for index in range(2000)]
    delays = [delay for actions in planned for delay, _action in actions]
    assert delays and min(delays) >= demo.CLICK_AFTER[0] and max(delays) <= 150


def test_nobody_clicks_a_link_the_delivering_channel_did_not_carry():
    rcs_only = [link for link in LINKS if link["channel"] == "rcs"]
    for index in range(3000):
        actions = demo.plan(row(index, "sms", "sms", links=rcs_only))
        assert all(action["do"] == "stop" for _delay, action in actions)
        for _delay, action in demo.plan(row(index, "rcs", "rcs")):
            if action["do"] == "click":
                assert LINKS[action["index"]]["channel"] == "rcs"


@pytest.mark.django_db
def test_a_person_clicks_orders_and_replies_stop_through_the_real_entry_points(
    jobs, network, monkeypatch, rollup_queue, django_capture_on_commit_callbacks
):
    """Everyone clicks, orders and says STOP here; each act goes through its real door."""
    monkeypatch.setitem(demo.CLICK_RATES, "rcs", 1.0)
    monkeypatch.setitem(demo.CLICK_RATES, "sms", 1.0)
    monkeypatch.setitem(demo.STOP_RATES, "rcs", 1.0)
    monkeypatch.setitem(demo.STOP_RATES, "sms", 1.0)
    monkeypatch.setattr(demo, "ORDER_AFTER_CLICK", 1.0)
    browser, visits = Client(), []

    def open_link(url):
        visits.append(url)
        path = url.removeprefix(settings.INTERNAL_BASE_URL.rstrip("/"))
        return browser.get(path, headers=demo.BROWSER)

    monkeypatch.setattr(demo, "open_link", open_link)
    make_published_template(slug="promo_demo")
    phone = demo_number(5)
    make_contact(phone=phone, opted_in=True, test_mode=True)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.submit_message(
            template_id="promo_demo", recipient=phone, variables=VARIABLES, test_mode=True
        )
    run(jobs, django_capture_on_commit_callbacks)
    drain_clicks()

    message = Message.objects.get(pk=message.pk)
    assert message.status in (Message.Status.DELIVERED, Message.Status.READ)
    # The link as a phone's browser opens it: the redirect counts a person, once.
    assert len(visits) == 1 and "/l/" in visits[0]
    click = Click.objects.get(message=message)
    assert (click.source, click.kind, click.is_unique) == ("link", "human", True)
    # The order names the click id of the landing URL: credited to the click.
    order = Conversion.objects.get(order_id=f"DEMO-{message.public_id}")
    assert (order.matched_by, order.attributed_by, order.message_id) == (
        "click_id",
        "click",
        message.pk,
    )
    assert order.test_mode
    # STOP through the simulator's signed inbound webhook and the keywords.
    assert ("/webhooks/simulator/", 200) in network
    stops = ConsentEntry.objects.filter(contact=message.contact, kind="opt_out")
    assert set(stops.values_list("source", flat=True)) == {ConsentEntry.Source.INBOUND_STOP}
    assert not Contact.objects.get(pk=message.contact_id).allows_promotions()


@pytest.mark.django_db
def test_people_do_nothing_for_a_message_outside_the_demo_audience(
    jobs, network, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(demo.CLICK_RATES, "rcs", 1.0)
    monkeypatch.setitem(demo.STOP_RATES, "rcs", 1.0)
    make_published_template(slug="promo_demo")
    make_contact(phone="+33612345678", opted_in=True, test_mode=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_message(
            template_id="promo_demo", recipient="+33612345678", variables=VARIABLES, test_mode=True
        )
    run(jobs, django_capture_on_commit_callbacks)

    assert "act_demo_people" not in [job.name for job in jobs.done]
