"""The capability audit screens: start on a list or segment, poll the progress, read the
result and its estimate, make the two segments; Viewers read only; bad input gets a message."""

import re
from decimal import Decimal

import pytest

from audience.models import CapabilityAudit, Segment
from tests.factories import make_contact, make_list, make_published_template
from tests.support.providers import SIMULATOR_SETTINGS
from tests.support.sending import ALWAYS_RCS, NEVER_RCS
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def simulator(settings, english):
    for name, value in SIMULATOR_SETTINGS.items():
        setattr(settings, name, value)
    settings.MESSAGING_PROVIDER = "simulator"
    settings.RCS_PRICE_EUR = Decimal("0.06")
    settings.SMS_SEGMENT_PRICE_EUR = Decimal("0.05")


def filled_list(name="Clients", test_mode=True):
    contact_list = make_list(name=name, test_mode=test_mode)
    for phone in (ALWAYS_RCS, NEVER_RCS):
        contact = make_contact(phone=phone, test_mode=test_mode)
        contact_list.contacts.add(contact, through_defaults={"source": "api"})
    return contact_list


def start(client, contact_list, mode="?mode=test"):
    return client.post(f"/audience/audits/{mode}", {"audience": f"list:{contact_list.pk}"})


def test_a_marketer_starts_an_audit_watches_it_and_reads_the_result(client, jobs):
    signed_in(client)
    contact_list = filled_list()

    response = start(client, contact_list)

    audit = CapabilityAudit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/audience/audits/{audit.pk}/?mode=test"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "0 of 2 numbers checked" in page

    jobs.run()
    progress = client.get(f"/audience/audits/{audit.pk}/progress/", headers=HTMX)
    assert progress["HX-Refresh"] == "true"
    page = client.get(f"/audience/audits/{audit.pk}/?mode=test").content.decode()
    assert "every 1s" not in page
    assert re.search(r'data-result="rcs_yes">.*?stat-value">1<.*?>50 %', page, re.S)
    assert re.search(r'data-result="rcs_no">.*?stat-value">1<', page, re.S)
    # 1 RCS × 0.06 + 1 SMS × 1 segment × 0.05
    assert re.search(r'data-cost="total">.*?0.11 €', page, re.S)
    assert "Make the two segments" in page


def test_the_progress_fragment_polls_while_the_audit_runs(client, jobs):
    signed_in(client)
    start(client, filled_list())
    audit = CapabilityAudit.objects.get()

    fragment = client.get(f"/audience/audits/{audit.pk}/progress/", headers=HTMX)

    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    assert 'id="audit-progress"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_the_estimate_follows_the_segment_count_or_a_template(client, jobs):
    signed_in(client)
    start(client, filled_list())
    jobs.run()
    audit = CapabilityAudit.objects.get()
    url = f"/audience/audits/{audit.pk}/"

    fragment = client.get(
        url, {"segments": "3", "mode": "test"}, headers={"HX-Target": "audit-estimate"}
    )
    html = fragment.content.decode()
    assert 'id="audit-estimate"' in html and "<html" not in html
    # 0.06 + 1 × 3 × 0.05 = 0.21
    assert re.search(r'data-cost="total">.*?0.21 €', html, re.S)

    _template, version = make_published_template(name="Soldes")
    page = client.get(url, {"template": version.template_id, "mode": "test"}).content.decode()
    assert f"Soldes ({version.sms_segments} SMS)" in page


def test_making_the_two_segments_links_them_with_their_counts(client, jobs):
    signed_in(client)
    start(client, filled_list(name="VIP"))
    jobs.run()
    audit = CapabilityAudit.objects.get()

    response = client.post(f"/audience/audits/{audit.pk}/segments/")
    page = client.get(response["Location"]).content.decode()

    assert response["Location"].endswith("?mode=test#audit-segments")
    assert set(Segment.objects.values_list("name", flat=True)) == {"VIP — RCS", "VIP — not RCS"}
    assert "Segments “VIP — RCS” and “VIP — not RCS” are ready." in page
    assert page.count("1 contact<") == 2
    for segment in Segment.objects.all():
        assert f'href="/audience/segments/{segment.pk}/?mode=test">{segment.name}</a>' in page
    assert "Make the two segments" not in page


def test_a_live_list_with_the_simulator_is_refused_with_what_to_do(client, jobs):
    signed_in(client)
    live = filled_list(test_mode=False)

    response = start(client, live, mode="")

    assert response.status_code == 200
    assert "Switch to test data" in response.content.decode()
    assert not CapabilityAudit.objects.exists() and jobs.pending == []


@pytest.mark.parametrize("choice", ["", "list:abc", "list:999999", "team:1", "segment:"])
def test_a_bad_choice_gets_a_message_not_an_error_page(client, jobs, choice):
    signed_in(client)
    filled_list()

    response = client.post("/audience/audits/?mode=test", {"audience": choice})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not CapabilityAudit.objects.exists()


def test_a_list_of_the_other_mode_cannot_be_audited_from_here(client, jobs):
    signed_in(client)
    test_list = filled_list(test_mode=True)

    response = start(client, test_list, mode="")  # The live screen.

    assert response.status_code == 200 and not CapabilityAudit.objects.exists()


def test_a_viewer_reads_audits_but_starts_nothing(client, jobs):
    signed_in(client, role="Viewer")
    contact_list = filled_list()
    from audience.audit import start_audit

    audit = start_audit(contact_list=contact_list)
    jobs.run()

    listing = client.get("/audience/audits/?mode=test").content.decode()
    detail = client.get(f"/audience/audits/{audit.pk}/?mode=test").content.decode()
    assert "Check RCS reach" not in listing and "Clients" in listing
    assert "Make the two segments" not in detail and "Reachable by RCS" in detail
    assert start(client, contact_list).status_code == 403
    assert client.post(f"/audience/audits/{audit.pk}/segments/").status_code == 403
    assert CapabilityAudit.objects.count() == 1 and not Segment.objects.exists()


def test_a_stopped_audit_offers_to_resume(client, jobs):
    signed_in(client)
    start(client, filled_list())
    audit = CapabilityAudit.objects.get()
    CapabilityAudit.objects.filter(pk=audit.pk).update(status="failed", error="provider")
    jobs.pending.clear()

    page = client.get(f"/audience/audits/{audit.pk}/?mode=test").content.decode()
    assert "The RCS provider could not answer" in page and "Resume the audit" in page

    client.post(f"/audience/audits/{audit.pk}/resume/")
    jobs.run()
    audit.refresh_from_db()
    assert audit.status == "done"


def test_the_audience_page_links_to_the_audits(client):
    signed_in(client)
    page = client.get("/audience/?mode=test").content.decode()
    assert 'href="/audience/audits/?mode=test"' in page


def test_a_list_page_can_open_the_form_with_its_list_chosen(client):
    signed_in(client)
    contact_list = filled_list(name="Été")

    page = client.get(f"/audience/audits/?mode=test&list={contact_list.pk}").content.decode()

    assert f'<option value="list:{contact_list.pk}" selected>Été</option>' in page
