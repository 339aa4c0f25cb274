"""The admin lists conversions, live unless test data is asked for, read-only."""

from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.conversions import Conversion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def conversion(order_id, test_mode=False, **fields):
    return Conversion.objects.create(
        order_id=order_id,
        value=Decimal("1200"),
        currency="JPY",
        occurred_at=timezone.now(),
        test_mode=test_mode,
        **fields,
    )


def test_conversions_are_listed_by_mode_and_shown_read_only(admin_client):
    live = conversion("LIVE-1", attributed_by="delivery")
    conversion("TEST-1", test_mode=True)

    listed = admin_client.get("/admin/analytics/conversion/").text
    tested = admin_client.get("/admin/analytics/conversion/?mode=test").text
    page = admin_client.get(f"/admin/analytics/conversion/{live.pk}/change/")

    assert "LIVE-1" in listed and "TEST-1" not in listed
    assert "TEST-1" in tested and "LIVE-1" not in tested
    assert ">1200<" in listed  # the yen has no decimal places
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
