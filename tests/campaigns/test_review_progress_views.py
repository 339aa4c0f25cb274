"""The review before launch and the live progress: who is left out and why, RCS against SMS
and the cost, Launch, the progress fragment counting by channel and arm, Pause / Resume /
Cancel / Continue, and the list with status and progress; viewers only look."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns import services
from campaigns.models import Campaign
from tests.factories import make_contact, make_list, make_published_template
from tests.support.sending import ALWAYS_RCS, NEVER_RCS
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    _template, version = make_published_template(name="Soldes d'hiver")
    clients = make_list("Clients", test_mode=True)
    phones = [ALWAYS_RCS, NEVER_RCS] + [f"+3361234{index:04d}" for index in range(6)]
    for index, phone in enumerate(phones):
        contact = make_contact(opted_in=index != 2, test_mode=True, phone=phone, first_name="Léa")
        contact.memberships.create(contact_list=clients, source="admin")
    landline = make_contact(opted_in=True, test_mode=True, phone="+33142685300")
    landline.memberships.create(contact_list=clients, source="admin")
    return services.create_campaign(
        name="Soldes",
        test_mode=True,
        template_version=version,
        contact_list=clients,
        variables={"prenom": {"field": "first_name", "default": "client"}},
    )


def test_the_review_says_who_gets_it_who_is_left_out_and_why_and_what_it_costs(client, campaign):
    signed_in(client)
    page = client.get(f"/campaigns/{campaign.pk}/review/?mode=test").content.decode()
    assert 'data-figure="eligible">7<' in page
    assert 'data-figure="excluded">2<' in page
    assert "No consent to promotions" in page and "Not a mobile number" in page
    assert 'data-channel="rcs"' in page and 'data-channel="sms"' in page
    assert "Starts at launch." in page
    assert "phone-android" in page  # the editor's preview of the version
    assert "Launch</button>" in page


def test_launch_opens_the_live_progress_which_counts_what_was_sent(client, campaign, jobs, network):
    signed_in(client)
    response = client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    assert response.status_code == 302
    assert response.url == f"/campaigns/{campaign.pk}/?mode=test"
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    # The whole audience is snapshotted; the contact without consent and the landline end as
    # "not sent".
    assert "0 of 9 messages handled" in page
    jobs.run()
    fragment = client.get(f"/campaigns/{campaign.pk}/progress/?mode=test").content.decode()
    assert "9 of 9 messages handled" in fragment
    assert 'text-body-secondary">2</td>' in fragment
    assert 'aria-valuenow="100"' in fragment
    assert 'data-row="rcs"' in fragment and 'data-row="sms"' in fragment
    # Once done, the fragment stops polling.
    assert Campaign.objects.get().status == Campaign.Status.DONE
    assert "every 2s" not in fragment


def test_pause_resume_and_cancel_move_the_campaign_and_come_back_to_its_progress(
    client, campaign, jobs
):
    signed_in(client)
    client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    page = client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    assert "Pause</button>" in page and "Cancel…" in page
    client.post(f"/campaigns/{campaign.pk}/pause/?mode=test")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "Resume</button>" in client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    client.post(f"/campaigns/{campaign.pk}/resume/?mode=test")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    response = client.post(f"/campaigns/{campaign.pk}/cancel/?mode=test")
    assert response.url == f"/campaigns/{campaign.pk}/?mode=test"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    # A second cancel is refused in words, not with an error page.
    response = client.post(f"/campaigns/{campaign.pk}/pause/?mode=test", follow=True)
    assert response.status_code == 200
    assert "cannot be paused" in response.content.decode()


def test_a_rollout_waits_for_continue_then_sends_the_rest(client, campaign, jobs, calm_network):
    services.update_campaign(campaign, rollout_share=0.5, rollout_mode="manual")
    signed_in(client)
    client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    jobs.run()
    campaign.refresh_from_db()
    page = client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    assert campaign.status == Campaign.Status.WAITING_TO_CONTINUE
    assert "By rollout stage" in page and "Continue the rollout" in page
    # The bar measures the first share, which is at its end.
    assert re.search(r"First share: (\d+) of \1 messages handled", page)
    assert 'aria-valuenow="100"' in page
    client.post(f"/campaigns/{campaign.pk}/continue/?mode=test")
    jobs.run()
    campaign.refresh_from_db()
    fragment = client.get(f"/campaigns/{campaign.pk}/progress/?mode=test").content.decode()
    assert "9 of 9 messages handled" in fragment


def test_the_list_shows_each_campaign_with_its_status_and_progress(client, campaign, jobs):
    signed_in(client)
    client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    page = client.get("/campaigns/?mode=test").content.decode()
    assert "Soldes" in page and "Sending" in page and "0 of 9" in page
    assert "Soldes" not in client.get("/campaigns/").content.decode()


def test_a_viewer_sees_the_review_and_progress_but_no_button(client, campaign, jobs):
    signed_in(client, "Viewer")
    review = client.get(f"/campaigns/{campaign.pk}/review/?mode=test").content.decode()
    assert "Launch</button>" not in review and "needs the Marketing role" in review
    assert client.post(f"/campaigns/{campaign.pk}/launch/?mode=test").status_code == 403
    services.launch(campaign)
    page = client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    assert "Pause</button>" not in page and "Cancel…" not in page
    assert client.post(f"/campaigns/{campaign.pk}/pause/?mode=test").status_code == 403


def test_the_review_says_when_quiet_hours_let_a_promotion_start(
    client, campaign, settings, time_machine
):
    settings.QUIET_HOURS_POLICY = "fr"
    time_machine.move_to(datetime(2026, 12, 6, 11, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
    signed_in(client)
    page = client.get(f"/campaigns/{campaign.pk}/review/?mode=test").content.decode()
    # A Sunday morning: French promotions wait for Monday 08:00.
    assert "Starts Monday 08:00 (7 December)" in page
    assert "Quiet hours for promotions are closed now" in page


def test_the_progress_says_messages_wait_for_quiet_hours_and_until_when(
    client, campaign, jobs, network, settings, time_machine
):
    settings.QUIET_HOURS_POLICY = "fr"
    time_machine.move_to(datetime(2026, 12, 6, 11, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
    signed_in(client)
    client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    jobs.run(until=0)
    # A Sunday: the 7 eligible messages are held, not lost, and the page says so.
    fragment = client.get(f"/campaigns/{campaign.pk}/progress/?mode=test").content.decode()
    assert "Quiet hours: 7 messages wait for the window for promotions" in fragment
    assert "which opens Monday 7 December, 08:00" in fragment
    listed = client.get("/campaigns/?mode=test").content.decode()
    assert "Quiet hours: waits until Mon 7 Dec, 08:00" in listed
    # Once the window opens they go, and the notice goes with them.
    time_machine.move_to(datetime(2026, 12, 7, 8, 1, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
    jobs.run()
    fragment = client.get(f"/campaigns/{campaign.pk}/progress/?mode=test").content.decode()
    assert "9 of 9 messages handled" in fragment
    assert "Quiet hours:" not in fragment
    assert "Quiet hours:" not in client.get("/campaigns/?mode=test").content.decode()


def test_a_rollout_that_stopped_itself_says_why_and_offers_continue(client, campaign, jobs):
    services.update_campaign(campaign, rollout_share=0.5, rollout_mode="auto")
    services.launch(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.STOPPED,
        stop_reason=Campaign.StopReason.FAILURE_RATE,
        stop_detail="3 of 4 messages of the first share failed",
    )
    signed_in(client)
    page = client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    assert "The rollout stopped itself:" in page
    assert "Too many failures — 3 of 4 messages of the first share failed." in page
    assert "Continue the rollout" in page and "Cancel…" in page


def test_a_draft_whose_list_was_deleted_says_so_and_cannot_launch(client, campaign):
    campaign.contact_list.delete()
    signed_in(client)
    page = client.get(f"/campaigns/{campaign.pk}/review/?mode=test").content.decode()
    assert "The list or segment of this draft was deleted" in page
    assert re.search(r'<button type="submit" class="btn btn-primary btn-lg" disabled>', page)
    assert 'data-figure="eligible"' not in page
    edit = client.get(f"/campaigns/{campaign.pk}/edit/?mode=test")
    assert edit.status_code == 200


def test_the_list_has_the_live_and_test_switch(client, campaign):
    signed_in(client)
    live = client.get("/campaigns/").content.decode()
    assert 'href="/campaigns/?mode=test"' in live and "You are looking at test data" not in live
    test = client.get("/campaigns/?mode=test").content.decode()
    assert "You are looking at test data" in test
    assert 'href="/campaigns/new/?mode=test"' in test
