"""The dashboard in a real browser, as a Viewer: switch campaign and period, read the
experiment's sentence, export a CSV; screenshots on desktop and phone widths."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from analytics.rollups.rebuild import rebuild
from tests.support.analytics import channel_test
from tests.support.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"


@pytest.fixture
def viewer():
    user = User.objects.create_user("victor", "", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Viewer")[0])
    start = (timezone.now() - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    channel_test("Soldes d'hiver", start)
    channel_test("Nouvelle collection", start - timedelta(days=20), contacts=120, holdout=0)
    rebuild()
    return user


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 860, ""), (390, 844, "-phone")])
def test_a_viewer_reads_the_dashboard_and_exports_a_table(
    browser, live_server, viewer, screenshot, width, height, name
):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="en-GB",
        is_mobile=width < 500,
        accept_downloads=True,
    )
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "victor", PASSWORD)
    page.goto(page.base_url + "/dashboard/")
    # Both campaigns were sent in the last 30 days, the default period.
    assert page.locator('[data-stat="sent"]').inner_text() == "520"
    screenshot(page, f"dashboard-global{name}", full_page=True)

    page.select_option("#id_campaign", label="Soldes d'hiver")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**campaign=*")
    sentence = page.locator("[data-experiment-sentence]").inner_text()
    assert sentence.startswith("RCS got ") and "the clicks of SMS, 95 % CI" in sentence
    assert "on 400 capable contacts." in sentence
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 3")
    screenshot(page, f"dashboard-channel-test{name}", full_page=True)
    page.locator("#table-buttons").scroll_into_view_if_needed()
    screenshot(page, f"dashboard-buttons{name}")

    page.select_option("#id_period", value="1d")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=1d*")
    assert page.get_by_text("Nothing to measure yet").is_visible()

    page.select_option("#id_period", value="all")
    page.select_option("#id_campaign", label="Nouvelle collection")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=all*")
    assert page.locator('[data-stat="sent"]').inner_text() == "120"

    with page.expect_download() as download:
        page.locator('[data-export="buttons"]').click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Button,CTA id,Channel,People who tapped,Taps,Rate (of delivered)"
    assert any(line.startswith("cta_offres,cta_offres,RCS,") for line in lines[1:])
    context.close()
