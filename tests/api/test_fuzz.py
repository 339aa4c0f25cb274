"""Property-based fuzzing of the REST API with Schemathesis, in-process against the WSGI app.

Every generated request, valid or not, must get a documented answer: never a 5xx, a status the
OpenAPI schema lists, a body matching the schema declared for that status (problem+json for
errors) with the content type it declares.

Runs in the normal suite with a small, seeded budget. To fuzz longer on your machine:

    RELAIS_FUZZ_EXAMPLES=1000 RELAIS_FUZZ_RANDOM=1 .venv/bin/pytest tests/api/test_fuzz.py
"""

import json
import os
import uuid
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from audience.api_segments import EXAMPLE_SEGMENT_ID
from audience.models import Contact, ContactList, Segment
from audience.schemas import EXAMPLE_CONTACT_ID, EXAMPLE_LIST_ID
from campaigns.models import Campaign
from campaigns.schemas import EXAMPLE_CAMPAIGN_ID
from config.wsgi import application
from sending import services
from sending.models import Message
from sending.schemas import EXAMPLE_ID
from tests.factories import make_api_key, make_campaign, make_contact
from tests.support.api import bearer
from tests.support.sending import ALWAYS_RCS

MAX_EXAMPLES = int(os.environ.get("RELAIS_FUZZ_EXAMPLES", "40"))
# The same inputs every run, so CI is repeatable; RELAIS_FUZZ_RANDOM=1 explores new ones.
DERANDOMIZE = not os.environ.get("RELAIS_FUZZ_RANDOM")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    unsupported_method,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def fuzz_key(db):
    """The full key of a test-mode key whose rate limit no fuzzing run reaches."""
    return make_api_key(
        mode="test", rate_limit_per_minute=1_000_000, read_rate_limit_per_minute=1_000_000
    )[1]


@contextmanager
def wsgi_inside_test_transaction():
    """Let WSGI requests run inside the test's transaction.

    A WSGI request closes "obsolete" connections as it starts and ends, which would end the
    test's transaction; Django's test client holds the same signal back for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(seed_template, jobs, network):
    """The seed template, an RCS-capable opted-in contact, a sent message at EXAMPLE_ID, a
    contact at EXAMPLE_CONTACT_ID, a list at EXAMPLE_LIST_ID, a segment at EXAMPLE_SEGMENT_ID
    and a draft campaign to that list at EXAMPLE_CAMPAIGN_ID.

    The schema's examples name the seed template and EXAMPLE_ID, so some generated sends reach
    the real send path and some reads find a message with attempts and events.
    """
    make_contact(phone=ALWAYS_RCS, opted_in=True, test_mode=True)
    message = services.submit_message(
        template_id=seed_template.slug,
        recipient=ALWAYS_RCS,
        variables={"prenom": "Marie", "duree_offre": "48h"},
        test_mode=True,
    )
    jobs.run()
    Message.objects.filter(pk=message.pk).update(public_id=EXAMPLE_ID)
    # The contacts and lists API's examples name these: reads, consents and adds find them.
    contact = make_contact(test_mode=True, opted_in=True)
    Contact.objects.filter(pk=contact.pk).update(public_id=EXAMPLE_CONTACT_ID)
    vip = ContactList.objects.create(name="VIP", test_mode=True, public_id=EXAMPLE_LIST_ID)
    Segment.objects.create(name="Paris", test_mode=True, public_id=EXAMPLE_SEGMENT_ID)
    # The campaigns API's examples name this draft: launches, pauses and reads find it.
    contact.lists.add(vip)
    campaign = make_campaign(
        seed_template.current_version,
        vip,
        variables={
            "prenom": {"field": "first_name", "default": "client"},
            "duree_offre": {"value": "48h"},
        },
    )
    Campaign.objects.filter(pk=campaign.pk).update(public_id=EXAMPLE_CAMPAIGN_ID)


# Loaded at import, the way Schemathesis documents: its lazy loader (schemathesis.pytest.
# from_fixture) sets a node attribute pytest 9 no longer has. Serving the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_request_gets_a_documented_answer(case, fuzz_key, seeded):
    with wsgi_inside_test_transaction():
        case.call_and_validate(headers=bearer(fuzz_key), checks=CHECKS)


# Text the OpenAPI schema cannot describe: lone surrogates (sent as JSON escapes) and control
# characters, in variable names and values, mixed with ordinary letters.
ODD_CHARACTERS = (
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
    | st.characters(categories=["Cc"])
    | st.sampled_from("\t\n\r\x07\x1b\x85\u2028")
)
# Each holds at least one odd character, somewhere among ordinary ones.
ODD_TEXT = st.builds(
    lambda before, odd, after: before + odd + after,
    st.text(max_size=6),
    st.text(ODD_CHARACTERS, min_size=1, max_size=3),
    st.text(max_size=6),
)
VARIABLE_NAMES = st.sampled_from(["prenom", "duree_offre"]) | ODD_TEXT


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    variables=st.dictionaries(VARIABLE_NAMES, ODD_TEXT | st.text(max_size=8), max_size=4),
    external_id=st.none() | ODD_TEXT,
)
def test_odd_characters_in_a_send_get_a_named_4xx_or_are_accepted(
    fuzz_key, seeded, variables, external_id
):
    body = {"template_id": "promo_soldes_v1", "recipient": ALWAYS_RCS, "variables": variables}
    if external_id is not None:
        body["external_id"] = external_id
    before = Message.objects.count()
    response = Client(raise_request_exception=True, headers=bearer(fuzz_key)).post(
        "/api/v1/messages",
        json.dumps(body),  # ASCII escapes: a lone surrogate travels as \udXXX
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code in (202, 422), response.content
    if response.status_code == 422:
        assert response["Content-Type"] == "application/problem+json"
        fields = [error["field"] for error in response.json()["errors"]]
        assert fields and all(field.split(".")[0] in body for field in fields), fields
        assert Message.objects.count() == before
