"""Two posts of the same order id at the same moment make one conversion: one answer 201, the
other 200 with the same conversion, never a 500 and never a second row."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from analytics import attribution
from analytics.conversions import Conversion
from tests.support.conversions import post_conversion

ORDER = {"phone": "+33612345678", "order_id": "CMD-RACE", "value": "25.00", "currency": "EUR"}


def post_together(client, bodies):
    """Post each body from its own thread (its own database connection); the answers."""

    def post(body):
        try:
            return post_conversion(client, **body)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


@pytest.mark.django_db(transaction=True)
def test_the_same_order_posted_twice_at_once_makes_one_conversion(api):
    answers = post_together(api, [ORDER, ORDER])

    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Conversion.objects.count() == 1


@pytest.fixture
def both_past_the_lookup(monkeypatch):
    """Hold each post after it found no conversion for the order, until both have: the two
    inserts then race, and the unique constraint decides."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's IMMEDIATE transactions run the two posts one after the other")
    both_looked = threading.Barrier(2, timeout=20)
    recognise = attribution.recognise

    def recognise_when_both_looked(**kwargs):
        both_looked.wait()
        return recognise(**kwargs)

    monkeypatch.setattr(attribution, "recognise", recognise_when_both_looked)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("both_past_the_lookup")
def test_both_posts_past_the_lookup_still_make_one_conversion(api):
    answers = post_together(api, [ORDER, {**ORDER, "value": 25}])

    assert sorted(answer.status_code for answer in answers) == [200, 201], [
        answer.json() for answer in answers
    ]
    assert answers[0].json() == answers[1].json()
    assert Conversion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("both_past_the_lookup")
def test_a_racing_post_with_another_value_is_the_conflict(api):
    answers = post_together(api, [ORDER, {**ORDER, "value": "30.00"}])

    assert sorted(answer.status_code for answer in answers) == [201, 409]
    assert Conversion.objects.count() == 1
