"""The editor's test send refuses an SMS over the brand's segment limit, as the API does."""

import pytest

from editor.models import Brand
from sending.models import Message
from tests.factories import make_published_template
from tests.support.sending import NEVER_RCS
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def test_a_test_send_over_the_brands_limit_is_refused_naming_the_variable(client, jobs):
    template, _version = make_published_template(
        slug="promo_longue",
        rcs_content={"text": "Bonjour {{ prenom }}, -40 % ce week-end."},
        variables=[{"name": "prenom", "default": None, "sample": "Marie-" + "x" * 200}],
    )
    # The limit was lowered in the admin after publishing.
    Brand.objects.filter(pk=template.brand_id).update(sms_max_segments=1)
    signed_in(client)

    response = client.post(
        f"/campaigns/test-send/{template.pk}/",
        {"phone": NEVER_RCS, "consent": "on", "policy": "sms_only"},
        headers={"Accept-Language": "en"},
    )

    page = response.content.decode()
    assert "segments, the limit is 1: the variable “prenom” is 206 characters." in page
    assert not Message.objects.exists()
