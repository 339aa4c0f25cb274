"""POST /api/v1/capabilities: a test key's answers are test data, never a live key's cache."""

import pytest

from audience.models import Contact
from tests.support.sending import NEVER_RCS

pytestmark = pytest.mark.django_db


def check(client, numbers):
    response = client.post(
        "/api/v1/capabilities", {"numbers": numbers}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["results"]


def test_a_live_key_never_sees_the_capability_a_test_key_learnt(api, live_key, client_for, locmem):
    [tested] = check(api, [NEVER_RCS])
    assert tested["capable"] is False

    # locmem cannot tell: the live answer is unknown, not the simulator's cached "no".
    [live] = check(client_for(live_key[1]), [NEVER_RCS])
    assert (live["capable"], live["cache_age_seconds"]) == (None, None)
    assert not Contact.objects.live().exists()


def test_a_test_key_check_creates_test_contacts_only(api):
    check(api, ["+33612345678", "+33612345679"])
    assert Contact.objects.test().count() == 2
    assert not Contact.objects.live().exists()
