"""A stopped rollout keeps its figures, and says why in the language of whoever reads it: the
screen and the API in their reader's language, the email in the installation's, whatever the
language of the process that stopped it; stops recorded as a sentence before keep it."""

import importlib
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from campaigns import services
from campaigns.models import Campaign
from sending.models import Message
from tests.factories import make_api_key, make_campaign
from tests.support.api import bearer
from tests.support.campaigns import bulk_list
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
ENGLISH = "5 of 20 messages of the first share failed (25.0 %), above the 10.0 % allowed."
FRENCH = "5 messages sur 20 de la première part ont échoué (25.0 %), au-delà des 10.0 % autorisés."
migration = importlib.import_module("campaigns.migrations.0005_rollout_stop_figures")


def _stopped_in_french(version, test_list, jobs, django_capture_on_commit_callbacks):
    """A rollout whose first share of 20 had 5 failures, stopped by a French-speaking worker."""
    bulk_list(test_list, 100)
    campaign = make_campaign(
        version, test_list, rollout_share=0.2, rollout_mode="auto", max_failure_rate=0.1
    )
    services.launch(campaign)
    # The first share is 20 % of 100: 20 messages, 5 of them failed.
    messages = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    first = list(messages.filter(stage=0).order_by("pk").values_list("pk", flat=True))
    assert len(first) == 20
    messages.filter(pk__in=first).update(status="delivered")
    messages.filter(pk__in=first[:5]).update(status="failed")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        assert services.check_rollout(campaign.pk) == Campaign.Status.STOPPED
    return Campaign.objects.get(pk=campaign.pk)


@pytest.fixture
def stopped(version, test_list, jobs, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.ADMINS = [("Ops", "ops@shop.example")]
    settings.LANGUAGE_CODE = "en"
    return _stopped_in_french(version, test_list, jobs, django_capture_on_commit_callbacks)


def test_the_figures_are_kept_and_the_sentence_follows_the_reader(stopped):
    assert stopped.stop_figures == {
        "reached": 20,
        "failed": 5,
        "opted_out": 0,
        "failure_rate": 0.25,
        "opt_out_rate": 0.0,
        "max_failure_rate": 0.1,
        "max_opt_out_rate": 0.01,
    }
    # The stored sentence is the stopping process's (French), for the admin and the logs.
    assert stopped.stop_detail == FRENCH
    with translation.override("en"):
        assert services.stop_sentence(stopped) == ENGLISH
    with translation.override("fr"):
        assert services.stop_sentence(stopped) == FRENCH


def test_the_email_is_in_the_installation_language(stopped, mailoutbox):
    [email] = mailoutbox
    assert ENGLISH in email.body
    assert "stopped after its first share" in email.subject


def test_the_screen_says_it_in_the_reader_language(client, stopped):
    signed_in(client)  # the interface in English
    page = client.get(f"/campaigns/{stopped.pk}/?mode=test").content.decode()
    assert f"Too many failures — {ENGLISH}" in page
    assert FRENCH not in page


def test_the_api_says_it_in_the_request_language_with_the_figures(stopped):
    api = Client(headers=bearer(make_api_key(mode="test")[1]))
    path = f"/api/v1/campaigns/{stopped.public_id}"

    english = api.get(path, headers={"Accept-Language": "en"}).json()
    french = api.get(path, headers={"Accept-Language": "fr"}).json()

    assert (english["stop_reason"], english["stop_detail"]) == ("failure_rate", ENGLISH)
    assert french["stop_detail"] == FRENCH
    assert english["stop_figures"]["failed"] == 5
    assert english["stop_figures"]["max_failure_rate"] == 0.1


def test_continue_clears_the_stop(stopped):
    services.continue_rollout(stopped)
    stopped.refresh_from_db()
    assert (stopped.stop_reason, stopped.stop_detail, stopped.stop_figures) == ("", "", {})
    assert services.stop_sentence(stopped) == ""


def test_a_stop_recorded_before_the_figures_shows_its_sentence(client, version, test_list, jobs):
    campaign = make_campaign(version, test_list, rollout_share=0.5)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.STOPPED,
        stop_reason=Campaign.StopReason.OPT_OUT_RATE,
        stop_detail="Trop de désinscriptions ce matin",
    )
    campaign.refresh_from_db()

    assert services.stop_sentence(campaign) == "Trop de désinscriptions ce matin"
    signed_in(client)
    page = client.get(f"/campaigns/{campaign.pk}/?mode=test").content.decode()
    assert "Too many opt-outs — Trop de désinscriptions ce matin." in page


@pytest.mark.parametrize(
    ("reason", "detail", "expected"),
    [
        ("failure_rate", ENGLISH, {"failed": 5, "failure_rate": 0.25}),
        ("failure_rate", FRENCH, {"failed": 5, "failure_rate": 0.25}),
        (
            "opt_out_rate",
            "3 of 40 contacts of the first share opted out (7.5 %), above the 1.0 % allowed.",
            {"opted_out": 3, "opt_out_rate": 0.075},
        ),
        (
            "opt_out_rate",
            "3 contacts sur 40 de la première part se sont désinscrits (7.5 %), au-delà des "
            "1.0 % autorisés.",
            {"opted_out": 3, "opt_out_rate": 0.075},
        ),
    ],
)
def test_the_migration_reads_the_figures_back_from_the_stored_sentences(reason, detail, expected):
    old = SimpleNamespace(
        stop_reason=reason, stop_detail=detail, max_failure_rate=0.1, max_opt_out_rate=0.01
    )
    figures = migration.figures_of(old)
    assert figures == {
        "reached": 20 if reason == "failure_rate" else 40,
        "max_failure_rate": 0.1,
        "max_opt_out_rate": 0.01,
        **expected,
    }
    campaign = Campaign(stop_reason=reason, stop_figures=figures, stop_detail=detail)
    with translation.override("fr" if "première" in detail else "en"):
        assert services.stop_sentence(campaign) == detail


def test_the_migration_leaves_a_sentence_it_does_not_know():
    old = SimpleNamespace(
        stop_reason="failure_rate",
        stop_detail="Stopped by hand",
        max_failure_rate=0.1,
        max_opt_out_rate=0.01,
    )
    assert migration.figures_of(old) is None
