"""The campaign wizard: the chosen version's variables appear with who would get a default,
a valid wizard saves a draft and opens its review, errors stay next to their field and save
nothing, modes stay apart, a draft reopens with what was saved, viewers cannot create."""

from datetime import UTC, datetime, timedelta

import pytest

from campaigns.models import Campaign
from tests.factories import make_contact, make_list, make_published_template, make_segment
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db

WEDNESDAY_10_PARIS = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


@pytest.fixture
def setup():
    _template, version = make_published_template(name="Soldes d'hiver")
    clients = make_list("Clients fidèles")
    for first_name in ("Hélène", "Bruno", ""):
        contact = make_contact(opted_in=True, first_name=first_name)
        contact.memberships.create(contact_list=clients, source="admin")
    return version, clients


def wizard_data(version, contact_list, **overrides):
    data = {
        "name": "Soldes de janvier",
        "version": version.pk,
        "audience": f"list:{contact_list.pk}",
        "var_prenom_source": "field",
        "var_prenom_field": "first_name",
        "var_prenom_default": "client",
        "policy": "rcs_with_fallback",
        "experiment": "channel",
        "experiment_share": "50",
        "holdout": "5",
        "first_share": "10",
        "continuation": "auto",
        "wait_minutes": "30",
        "max_failure": "5",
        "max_opt_out": "2",
        "schedule": "now",
        "throttle_per_second": "200",
        "rcs_ttl_minutes": "15",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_variables_step_shows_the_versions_variables_and_who_would_get_the_default(
    client, setup
):
    version, clients = setup
    signed_in(client)
    page = client.post(
        "/campaigns/wizard-live/",
        {
            "version": version.pk,
            "audience": f"list:{clients.pk}",
            "var_prenom_source": "field",
            "var_prenom_field": "first_name",
        },
    ).content.decode()
    assert 'name="var_prenom_source"' in page
    assert "1 contact would get the default." in page
    # The audience count comes along, out of band, and nothing is flagged as an error yet.
    assert 'id="audience-count" class="audience-count" hx-swap-oob="true"' in page
    assert "3</span>" in page
    assert "is-invalid" not in page


def test_a_valid_wizard_saves_a_draft_and_opens_its_review(client, setup):
    version, clients = setup
    signed_in(client)
    response = client.post("/campaigns/new/", wizard_data(version, clients))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == f"/campaigns/{campaign.pk}/review/"
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.contact_list == clients and campaign.segment is None
    assert campaign.variables == {"prenom": {"field": "first_name", "default": "client"}}
    assert campaign.experiment == "channel" and campaign.experiment_share == 0.5
    assert campaign.holdout_share == 0.05
    assert campaign.rollout_share == 0.1 and campaign.rollout_mode == "auto"
    assert (campaign.rollout_wait_minutes, campaign.max_failure_rate) == (30, 0.05)
    assert campaign.throttle_per_second == 200 and campaign.rcs_ttl_seconds == 900
    assert campaign.send_at is None and not campaign.test_mode


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "This field is required."),
        ({"experiment": "content"}, "version_b", "A content test needs a version B."),
        (
            {"var_prenom_source": "attribute", "var_prenom_key": ""},
            "var_prenom_key",
            "Name the attribute.",
        ),
        ({"schedule": "later"}, "send_at", "Say when to send"),
        ({"holdout": "80"}, "holdout", "less than or equal to 50"),
    ],
)
def test_an_error_shows_next_to_its_field_opens_its_step_and_saves_nothing(
    client, setup, overrides, field, message
):
    version, clients = setup
    signed_in(client)
    response = client.post("/campaigns/new/", wizard_data(version, clients, **overrides))
    page = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}"' in page and "is-invalid" in page
    assert message in page
    assert 'data-first-error="' in page and 'data-first-error=""' not in page
    assert not Campaign.objects.exists()
    # What was typed is still there.
    assert 'value="Soldes de janvier"' in page or overrides.get("name") == ""


@pytest.mark.parametrize(
    "send_at, message",
    [
        ("2026-12-09T08:00", "This time is past (it is now 9 Dec 2026, 10:00)"),
        ("2027-12-10T10:00", "Choose a time within a year from now."),
        ("demain", "Enter a valid date/time."),
    ],
)
def test_a_send_time_past_or_over_a_year_ahead_is_an_error_next_to_it(
    english, client, setup, time_machine, send_at, message
):
    time_machine.move_to(WEDNESDAY_10_PARIS, tick=False)
    version, clients = setup
    signed_in(client)
    data = wizard_data(version, clients, schedule="later", send_at=send_at)

    response = client.post("/campaigns/new/", data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "send_at, saved",
    [
        # Typed at 10:00, sent at 10:03: the minute typed means now, that is at launch.
        ("2026-12-09T09:58", None),
        ("2026-12-09T10:30", datetime(2026, 12, 9, 9, 30, tzinfo=UTC)),
    ],
)
def test_a_send_time_just_past_means_at_launch_and_a_later_one_is_kept(
    client, setup, time_machine, send_at, saved
):
    time_machine.move_to(WEDNESDAY_10_PARIS + timedelta(minutes=3), tick=False)
    version, clients = setup
    signed_in(client)

    response = client.post(
        "/campaigns/new/", wizard_data(version, clients, schedule="later", send_at=send_at)
    )

    assert response.status_code == 302
    assert Campaign.objects.get().send_at == saved


def test_a_service_refusal_goes_next_to_its_field(client, setup):
    version, clients = setup
    signed_in(client)
    response = client.post(
        "/campaigns/new/", wizard_data(version, clients, policy="sms_only", experiment="channel")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "A channel test compares RCS with SMS" in page
    assert not Campaign.objects.exists()


def test_the_wizard_offers_only_the_audiences_of_the_mode_looked_at(client, setup):
    version, clients = setup
    test_segment = make_segment(name="Testeurs", test_mode=True)
    signed_in(client)
    live = client.get("/campaigns/new/").content.decode()
    assert "Clients fidèles" in live and "Testeurs" not in live
    test = client.get("/campaigns/new/?mode=test").content.decode()
    assert "Testeurs" in test and "Clients fidèles" not in test
    # A live list posted in test mode is refused, not mixed in.
    response = client.post("/campaigns/new/?mode=test", wizard_data(version, clients))
    assert response.status_code == 422
    assert "Choose a list or a segment of this mode." in response.content.decode()
    client.post(
        "/campaigns/new/?mode=test",
        wizard_data(version, clients, audience=f"segment:{test_segment.pk}"),
    )
    assert Campaign.objects.get().test_mode


def test_a_draft_reopens_with_what_was_saved_and_saves_again(client, setup):
    version, clients = setup
    signed_in(client)
    client.post("/campaigns/new/", wizard_data(version, clients))
    campaign = Campaign.objects.get()
    page = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert 'value="Soldes de janvier"' in page
    assert 'value="client"' in page
    assert 'name="first_share" value="10"' in page
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/",
        wizard_data(version, clients, name="Soldes de février", first_share="", experiment="none"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Soldes de février"
    assert campaign.rollout_share is None and campaign.experiment == "none"
    assert Campaign.objects.count() == 1


def test_a_viewer_cannot_open_or_post_the_wizard(client, setup):
    version, clients = setup
    signed_in(client, "Viewer")
    assert client.get("/campaigns/new/").status_code == 403
    assert client.post("/campaigns/new/", wizard_data(version, clients)).status_code == 403
    assert "New campaign" not in client.get("/campaigns/").content.decode()
    assert not Campaign.objects.exists()


def test_a_content_test_saves_version_b_and_the_split(client, setup):
    version, clients = setup
    _template, version_b = make_published_template(name="Soldes d'hiver B")
    signed_in(client)
    response = client.post(
        "/campaigns/new/",
        wizard_data(
            version,
            clients,
            experiment="content",
            version_b=str(version_b.pk),
            experiment_share="30",
            first_share="",
        ),
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.experiment == "content" and campaign.template_version_b == version_b
    assert campaign.experiment_share == 0.3 and campaign.rollout_share is None


def test_a_viewer_opening_a_draft_sees_its_review_and_cannot_change_it(client, setup):
    version, clients = setup
    signed_in(client)
    client.post("/campaigns/new/", wizard_data(version, clients))
    campaign = Campaign.objects.get()
    signed_in(client, "Viewer")
    response = client.get(f"/campaigns/{campaign.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.pk}/review/"
    posted = client.post(f"/campaigns/{campaign.pk}/edit/", wizard_data(version, clients, name="X"))
    assert posted.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Soldes de janvier"
