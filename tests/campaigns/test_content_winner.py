"""A content test's winner rule: a share of the audience gets A or B; after N hours the rest
gets the version with the better click rate when the difference is significant, else A or a
person's choice; decided once, however often the job runs."""

import pytest
from django.utils import timezone, translation

from campaigns import services
from campaigns.models import Campaign, CampaignArm
from campaigns.services.winner import two_proportion_p_value
from messaging.providers.normalized import EventType
from sending.models import Event, Message
from tests.factories import make_campaign, make_published_template
from tests.support.campaigns import bulk_list, within

pytestmark = pytest.mark.django_db
Arm = CampaignArm.Arm
Status = Campaign.Status


@pytest.fixture
def version_b(db):
    _template, version = make_published_template(slug="promo_campaign_b")
    return version


def _content_test(version, version_b, test_list, contacts=400, **overrides):
    bulk_list(test_list, contacts)
    fields = {
        "experiment": "content",
        "template_version_b": version_b,
        "experiment_share": 0.5,
        "winner_after_hours": 24,
        "winner_test_share": 0.5,
        **overrides,
    }
    return make_campaign(version, test_list, **fields)


def _messages(campaign, arm):
    return Message.objects.filter(dispatch__campaign_arm__campaign=campaign, arm=arm)


def _deliver_and_click(campaign, arm, clicks):
    """Mark the arm's messages delivered and give the first `clicks` of them a click."""
    messages = list(_messages(campaign, arm).order_by("pk"))
    _messages(campaign, arm).update(status=Message.Status.DELIVERED)
    # What analytics writes on a person's first click (a tracked link or a reported tap).
    Message.objects.filter(pk__in=[m.pk for m in messages[:clicks]]).update(
        clicked_at=timezone.now()
    )
    return len(messages)


def _launched(campaign, jobs):
    services.launch(campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.winner_due_at is not None
    assert "decide_winner" in jobs.names()
    return campaign


def test_a_share_gets_a_or_b_and_the_rest_waits(version, version_b, test_list, jobs):
    campaign = _content_test(version, version_b, test_list)
    planned = {
        p.arm: set(p.contacts.values_list("pk", flat=True))
        for p in services.plan_arms(campaign, services.audience_contacts(campaign))
    }

    campaign = _launched(campaign, jobs)

    a = set(_messages(campaign, Arm.A).values_list("contact_id", flat=True))
    b = set(_messages(campaign, Arm.B).values_list("contact_id", flat=True))
    # The draw is the review's: reproducible from the seed.
    assert (a, b) == (planned[Arm.A], planned[Arm.B])
    assert not (a | b) & planned[Arm.REST]
    assert len(a | b | planned[Arm.REST]) == 400
    assert within(len(a | b), 400, 0.5)
    assert not _messages(campaign, Arm.REST).exists()
    assert not CampaignArm.objects.filter(campaign=campaign, arm=Arm.REST).exists()
    # Not done while the rest waits for the winner.
    assert services.sync_status(campaign).status == Status.SENDING
    report = services.review(campaign)
    assert report.arms[Arm.REST]["contacts"] == len(planned[Arm.REST])


def test_a_significant_difference_sends_the_winner_to_the_rest_once(
    version, version_b, test_list, jobs
):
    campaign = _launched(_content_test(version, version_b, test_list), jobs)
    n_a = _deliver_and_click(campaign, Arm.A, 5)
    n_b = _deliver_and_click(campaign, Arm.B, 40)
    rest = 400 - n_a - n_b

    assert services.decide_winner(campaign.pk, now=campaign.winner_due_at) == Status.SENDING
    # Running it again, the lost job's recovery by the reconciler, and a person's click: once.
    services.decide_winner(campaign.pk, now=campaign.winner_due_at)
    assert services.decide_due(campaign.winner_due_at + timezone.timedelta(hours=1)) == 0
    services.choose_winner(campaign, "a")

    campaign.refresh_from_db()
    assert (campaign.winner, campaign.winner_significant) == ("b", True)
    figures = campaign.winner_figures
    assert figures["a"] == {"messages": n_a, "clicks": 5, "rate": 5 / n_a}
    assert figures["b"]["clicks"] == 40
    assert figures["p_value"] < 0.05
    # The decision is said in each reader's language, whatever the deciding process spoke.
    with translation.override("en"):
        sentence = services.decision_sentence(campaign)
    assert "significant at 95 %" in sentence and "The rest gets B" in sentence
    with translation.override("fr"):
        assert "Le reste reçoit B" in services.decision_sentence(campaign)
    rest_arm = CampaignArm.objects.get(campaign=campaign, arm=Arm.REST)
    assert rest_arm.dispatch.template_version == version_b
    assert _messages(campaign, Arm.REST).count() == rest
    assert set(_messages(campaign, Arm.REST).values_list("template_version", flat=True)) == {
        version_b.pk
    }
    assert Message.objects.filter(dispatch__campaign_arm__campaign=campaign).count() == 400


def test_without_a_significant_difference_it_waits_for_a_person(
    english,
    version,
    version_b,
    test_list,
    jobs,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.ADMINS = [("Ops", "ops@shop.example")]
    campaign = _launched(_content_test(version, version_b, test_list), jobs)
    _deliver_and_click(campaign, Arm.A, 10)
    _deliver_and_click(campaign, Arm.B, 12)

    with django_capture_on_commit_callbacks(execute=True):
        status = services.decide_winner(campaign.pk, now=campaign.winner_due_at)

    assert status == Status.WAITING_TO_CONTINUE
    campaign.refresh_from_db()
    assert campaign.winner_significant is False and campaign.winner == ""
    assert "not significant at 95 %" in campaign.winner_detail
    assert campaign.waits_for_winner_choice
    assert not _messages(campaign, Arm.REST).exists()
    assert len(mailoutbox) == 1 and campaign.winner_detail in mailoutbox[0].body

    services.choose_winner(campaign, "b")
    services.choose_winner(campaign, "b")

    campaign.refresh_from_db()
    assert (campaign.status, campaign.winner) == (Status.SENDING, "b")
    assert CampaignArm.objects.filter(campaign=campaign, arm=Arm.REST).count() == 1
    assert _messages(campaign, Arm.REST).exists()


def test_without_a_significant_difference_it_can_send_a_the_control(
    version, version_b, test_list, jobs
):
    campaign = _launched(
        _content_test(version, version_b, test_list, winner_if_unclear="send_a"), jobs
    )
    _deliver_and_click(campaign, Arm.A, 10)
    _deliver_and_click(campaign, Arm.B, 11)

    services.decide_winner(campaign.pk, now=campaign.winner_due_at)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.winner, campaign.winner_significant) == (
        Status.SENDING,
        "a",
        False,
    )
    assert set(_messages(campaign, Arm.REST).values_list("template_version", flat=True)) == {
        version.pk
    }


def test_it_decides_nothing_early_or_paused_and_resume_schedules_it(
    version, version_b, test_list, jobs
):
    campaign = _launched(_content_test(version, version_b, test_list, contacts=20), jobs)
    early = campaign.winner_due_at - timezone.timedelta(minutes=1)
    assert services.decide_winner(campaign.pk, now=early) == Status.SENDING
    services.pause(campaign)
    assert services.decide_winner(campaign.pk, now=campaign.winner_due_at) == Status.PAUSED
    assert Campaign.objects.get(pk=campaign.pk).winner_decided_at is None

    jobs.pending.clear()
    services.resume(campaign)

    assert "decide_winner" in jobs.names()


def test_the_reconciler_decides_when_the_job_was_lost(version, version_b, test_list, jobs):
    from sending import services as sending

    campaign = _launched(_content_test(version, version_b, test_list, contacts=40), jobs)
    jobs.pending.clear()

    sending.reconcile_stuck_messages(now=campaign.winner_due_at + timezone.timedelta(seconds=1))

    campaign.refresh_from_db()
    assert campaign.winner_decided_at is not None
    assert campaign.waits_for_winner_choice  # nobody clicked: no winner


def test_the_p_value_is_the_two_proportion_z_test():
    # 10 % of 100 against 20 % of 100: z = 0.1 / sqrt(0.15 · 0.85 · 2 / 100) = 1.98, p = 0.048.
    assert round(two_proportion_p_value(10, 100, 20, 100), 3) == 0.048
    assert two_proportion_p_value(0, 100, 0, 100) == 1.0
    assert two_proportion_p_value(5, 0, 5, 10) == 1.0


def test_the_winner_rule_is_refused_outside_a_content_test_or_with_a_rollout(
    english, version, version_b, test_list
):
    with pytest.raises(services.CampaignError) as refused:
        make_campaign(version, test_list, winner_after_hours=24)
    assert refused.value.field == "winner_after_hours"
    with pytest.raises(services.CampaignError) as refused:
        _content_test(version, version_b, test_list, contacts=1, rollout_share=0.1)
    assert refused.value.code == "winner_with_rollout"
    with pytest.raises(services.CampaignError) as refused:
        _content_test(version, version_b, test_list, contacts=1, winner_confidence=0.5)
    assert refused.value.field == "winner_confidence"


def test_clicks_are_counted_once_per_message(version, version_b, test_list, jobs):
    campaign = _launched(_content_test(version, version_b, test_list, contacts=40), jobs)
    _deliver_and_click(campaign, Arm.A, 2)
    # A provider's tap event alone (a bot's, or one analytics has not counted) is no click.
    unclicked = _messages(campaign, Arm.A).filter(clicked_at__isnull=True).first()
    Event.objects.create(
        message=unclicked, provider="simulator", provider_event_id="tap", type=EventType.CLICKED
    )

    assert services.arm_figures(campaign)["a"]["clicks"] == 2


def test_the_api_takes_the_rule_and_shows_the_decision(english, version, version_b, jobs):
    import json

    from django.test import Client

    from tests.factories import make_api_key, make_list
    from tests.support.api import bearer

    api = Client(headers=bearer(make_api_key(mode="test")[1]))
    test_list = make_list(test_mode=True)
    bulk_list(test_list, 60)
    body = {
        "name": "A/B",
        "template_id": version.template.slug,
        "audience": {"list_id": str(test_list.public_id)},
        "variables": {"prenom": {"field": "first_name", "default": "client"}},
        "experiment": {
            "kind": "content",
            "template_id_b": version_b.template.slug,
            "winner": {"after_hours": 6, "test_share": 0.5},
        },
    }

    def post(path, data=None):
        return api.post(path, json.dumps(data) if data else "", content_type="application/json")

    created = post("/api/v1/campaigns", body)
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    winner = created.json()["experiment"]["winner"]
    assert (winner["after_hours"], winner["confidence"], winner["if_unclear"]) == (6, 0.95, "wait")
    assert post(f"/api/v1/campaigns/{campaign_id}/choose-b").status_code == 409
    post(f"/api/v1/campaigns/{campaign_id}/launch")
    campaign = Campaign.objects.get(public_id=campaign_id)
    _deliver_and_click(campaign, Arm.A, 3)
    _deliver_and_click(campaign, Arm.B, 4)
    services.decide_winner(campaign.pk, now=campaign.winner_due_at)

    shown = api.get(f"/api/v1/campaigns/{campaign_id}").json()

    winner = shown["experiment"]["winner"]
    assert shown["status"] == "waiting_to_continue"
    assert winner["significant"] is False and winner["waits_for_choice"] is True
    assert winner["a"]["clicks"] == 3 and winner["b"]["clicks"] == 4
    assert 0 < winner["p_value"] <= 1
    assert "not significant" in winner["detail"]
    chosen = post(f"/api/v1/campaigns/{campaign_id}/choose-b")
    assert chosen.status_code == 200
    assert chosen.json()["experiment"]["winner"]["winner"] == "b"
    assert "rest" in chosen.json()["progress"]["by_arm"]

    refused = post(
        "/api/v1/campaigns", {**body, "experiment": {"kind": "none", "winner": {"after_hours": 6}}}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "experiment.winner.after_hours"


def test_the_progress_screen_shows_the_decision_and_lets_a_person_choose(
    client, version, version_b, test_list, jobs
):
    from tests.support.views import signed_in

    campaign = _launched(_content_test(version, version_b, test_list, contacts=60), jobs)
    signed_in(client)
    url = f"/campaigns/{campaign.pk}/?mode=test"
    page = client.get(url).content.decode()
    assert "Content test: the winner" in page and "Send B" not in page
    _deliver_and_click(campaign, Arm.A, 2)
    _deliver_and_click(campaign, Arm.B, 3)
    services.decide_winner(campaign.pk, now=campaign.winner_due_at)

    page = client.get(url).content.decode()

    assert "did not differ enough to pick a winner" in page
    assert "not significant at 95 %" in page
    assert "Continue the rollout" not in page
    assert "Send A</button>" in page and "Send B</button>" in page
    response = client.post(f"/campaigns/{campaign.pk}/choose/b/?mode=test")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.winner == "b"
    page = client.get(url).content.decode()
    assert "The rest gets B" in page and "Send B</button>" not in page


def test_a_viewer_cannot_choose(client, version, version_b, test_list, jobs):
    from tests.support.views import signed_in

    campaign = _launched(_content_test(version, version_b, test_list, contacts=20), jobs)
    services.decide_winner(campaign.pk, now=campaign.winner_due_at)
    signed_in(client, role="Viewer")

    assert (
        "Send A</button>" not in client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    )
    assert client.post(f"/campaigns/{campaign.pk}/choose/a/?mode=test").status_code == 403


def test_the_wizard_saves_the_winner_rule(client, version, version_b):
    from tests.campaigns.test_wizard_views import wizard_data
    from tests.factories import make_list
    from tests.support.views import signed_in

    clients = make_list("Clients")
    signed_in(client)
    data = wizard_data(
        version,
        clients,
        experiment="content",
        version_b=version_b.pk,
        first_share="",
        winner_after_hours="12",
        winner_test_share="30",
        winner_confidence="99",
        winner_if_unclear="send_a",
    )

    response = client.post("/campaigns/new/", data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    campaign = Campaign.objects.get()
    assert (campaign.winner_after_hours, campaign.winner_test_share) == (12, 0.3)
    assert (campaign.winner_confidence, campaign.winner_if_unclear) == (0.99, "send_a")
    page = client.post("/campaigns/new/", {**data, "first_share": "10"}).content.decode()
    assert "cannot have a rollout too" in page
