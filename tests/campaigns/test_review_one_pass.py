"""The review counts in one pass over the audience and gives the answers the review gave with a
query per figure, on an audience of every kind of contact and for every kind of campaign."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audience.models import Consent, Contact, ListMembership
from campaigns import services
from campaigns.models import Campaign
from tests.factories import make_campaign, make_list, make_published_template, make_sent_message
from tests.support.review_reference import review_by_queries

pytestmark = pytest.mark.django_db
NUMBERS = ["+336", "+337", "+331", "+339", "+590690", "+262692", "+447", "+1415", "+3247", "+338"]
CONSENTS = [Consent.OPT_IN, Consent.OPT_OUT, Consent.NONE]


def _varied_audience(contact_list, count=600, seed=7):
    """Contacts of every consent pair, number kind, capability age and variable emptiness."""
    pick = random.Random(seed)
    now = timezone.now()
    contacts = []
    for index in range(count):
        prefix = pick.choice(NUMBERS)
        digits = 12 - len(prefix) if prefix.startswith("+33") else 13 - len(prefix)
        capability = pick.choice(
            [
                (None, None),
                (True, now - timezone.timedelta(days=2)),
                (False, now - timezone.timedelta(days=2)),
                (True, now - timezone.timedelta(days=60)),
                (False, now - timezone.timedelta(days=60)),
            ]
        )
        attributes = pick.choice([{}, {"ville": ""}, {"ville": "Lyon"}])
        contacts.append(
            Contact(
                phone=f"{prefix}{index:0{digits}d}",
                test_mode=contact_list.test_mode,
                first_name=pick.choice(["", "Anne", "Marc"]),
                attributes=attributes,
                sms_consent=pick.choice(CONSENTS),
                rcs_consent=pick.choice(CONSENTS),
                rcs_capable=capability[0],
                rcs_checked_at=capability[1],
            )
        )
    contacts = Contact.objects.bulk_create(contacts)
    ListMembership.objects.bulk_create(
        [ListMembership(contact=c, contact_list=contact_list) for c in contacts]
    )
    # Some had their promotion of the day (sent, or on its way).
    recent = pick.sample(contacts, 40)
    for contact in recent + recent[:20]:
        make_sent_message(contact, test_mode=True, sent_at=now - timezone.timedelta(hours=3))
    for contact in pick.sample(contacts, 10):
        make_sent_message(contact, test_mode=True, sent_at=now - timezone.timedelta(days=3))
    return contacts


@pytest.fixture
def audience(db):
    contact_list = make_list(test_mode=True)
    _varied_audience(contact_list)
    return contact_list


VARIABLES = {
    "prenom": {"field": "first_name", "default": "client"},
    "ville": {"attribute": "ville", "default": "chez vous"},
    "duree": {"value": "48h"},
}


def _version(slug, **overrides):
    _template, version = make_published_template(
        slug=slug,
        sms_fallback="{{ prenom }} à {{ ville }} : -40 % pendant {{ duree }}",
        variables=[
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "ville", "default": None, "sample": "Lyon"},
            {"name": "duree", "default": None, "sample": "48h"},
        ],
        **overrides,
    )
    return version


def _campaigns(audience):
    promo, promo_b = _version("one_pass_promo"), _version("one_pass_promo_b")
    receipt = _version("one_pass_receipt", traffic_type="TRANSACTION")
    common = {"variables": VARIABLES}
    return {
        "plain": make_campaign(promo, audience, **common),
        "holdout": make_campaign(promo, audience, holdout_share=0.2, **common),
        "sms only": make_campaign(promo, audience, policy="sms_only", **common),
        "channel test": make_campaign(
            promo,
            audience,
            experiment=Campaign.Experiment.CHANNEL,
            experiment_share=0.4,
            holdout_share=0.1,
            **common,
        ),
        "content test": make_campaign(
            promo,
            audience,
            template_version_b=promo_b,
            experiment=Campaign.Experiment.CONTENT,
            experiment_share=0.5,
            **common,
        ),
        "winner rule": make_campaign(
            promo,
            audience,
            template_version_b=promo_b,
            experiment=Campaign.Experiment.CONTENT,
            winner_after_hours=4,
            winner_test_share=0.3,
            holdout_share=0.05,
            **common,
        ),
        "transactional": make_campaign(receipt, audience, **common),
    }


@pytest.mark.parametrize("cap", [0, 1, 2])
def test_the_one_pass_review_answers_as_the_query_per_figure_one(audience, settings, cap):
    settings.PROMOTION_CAP_PER_24H = cap
    now = timezone.now()
    for name, campaign in _campaigns(audience).items():
        old, new = review_by_queries(campaign, now), services.review(campaign, now)
        assert new == old, name
        # The audience is varied enough that each figure means something.
        if name == "plain":
            assert {"opted_out", "no_consent", "country_not_allowed"} <= set(new.excluded)
            assert ("frequency_cap" in new.excluded) == bool(cap)
            assert new.rcs > 0 and new.sms > 0 and new.defaults["ville"] > 0
        if name == "channel test":
            assert all(arm["contacts"] for arm in new.arms.values())


def test_the_counts_take_one_query_over_the_audience(audience, settings):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the draws read the ids first")
    settings.PROMOTION_CAP_PER_24H = 1
    campaign = _campaigns(audience)["channel test"]

    with CaptureQueriesContext(connection) as queries:
        services.review(campaign)

    contact_reads = [q["sql"] for q in queries if 'FROM "audience_contact"' in q["sql"]]
    # The numbers checked in Python, then every count at once.
    assert len(contact_reads) == 2, contact_reads
    assert "FILTER (WHERE" in contact_reads[1]
