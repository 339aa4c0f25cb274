"""A test of the current draft from the editor: sent as drafted, marked, never published."""

import pytest

from api.models import ApiKey
from editor.models import MessageTemplate, TemplateVersion
from sending.models import Message
from tests.factories import make_api_key, make_published_template, make_template
from tests.support.links import sms_link
from tests.support.sending import ALWAYS_RCS
from tests.support.views import card_content, signed_in

pytestmark = pytest.mark.django_db


def send(client, template, **data):
    data = {"phone": ALWAYS_RCS, "consent": "on", **data}
    response = client.post(f"/campaigns/test-send/{template.pk}/", data)
    assert response.status_code == 200
    return response.content.decode()


def edit(template, label="Voir les soldes", sms="Soldes privees -50 % : https://shop.example"):
    template.rcs_content = card_content(label=label)
    template.sms_fallback = sms
    template.save()


def test_a_template_never_published_sends_its_draft_and_stays_a_draft(client, locmem, jobs):
    signed_in(client)
    template = make_template()
    panel = client.get(f"/campaigns/test-send/{template.pk}/").content.decode()
    assert "Publish the template first" not in panel
    assert "nothing is published" in panel

    page = send(client, template)
    jobs.run(until=0)

    message = Message.objects.get()
    assert message.draft_test
    assert (message.template_version, message.draft_of) == (None, template)
    assert message.test_mode and message.contact.test_mode
    assert message.provider == "locmem"
    [call] = locmem.outbox
    card = call.rcs_content["richCard"]["standaloneCard"]["cardContent"]
    assert card["title"] == "Marie, -40 % sur tout"
    # The brand goes out as a version would carry it: its SMS sender ID.
    assert call.sms_sender == "MAISONREL"
    assert "Draft test" in page
    assert not TemplateVersion.objects.exists()
    template.refresh_from_db()
    assert template.status == MessageTemplate.Status.DRAFT


def test_a_draft_test_sends_the_draft_not_the_published_version(client, locmem, jobs, settings):
    settings.LOCMEM_CHANNELS = ["sms"]
    signed_in(client)
    template, version = make_published_template()
    edit(template)
    panel = client.get(f"/campaigns/test-send/{template.pk}/").content.decode()
    assert "Version 1, as it is live" in panel

    send(client, template, content="draft")
    jobs.run(until=0)

    message = Message.objects.get()
    assert message.draft_test and message.template_version is None
    # The draft's link went out tracked; the message keeps where it leads.
    assert message.sms_text == "Soldes privees -50 % : " + sms_link(message) + "\nSTOP au 36111"
    assert message.links[-1] == {"cta": "sms-1", "url": "https://shop.example", "channel": "sms"}
    assert [call.sms_text for call in locmem.outbox] == [message.sms_text]
    assert template.versions.count() == 1


def test_the_published_version_can_still_be_tested_while_a_draft_is_open(client, locmem, jobs):
    signed_in(client)
    template, version = make_published_template()
    edit(template)

    send(client, template, content="published")

    message = Message.objects.get()
    assert (message.draft_test, message.template_version) == (False, version)
    assert message.sms_text.startswith("Marie, -40 % sur tout")


def test_a_draft_with_errors_is_refused_with_the_editors_problems(client, jobs):
    signed_in(client)
    template = make_template(sms_fallback="", variables=[])

    page = send(client, template)

    assert "Not sent: 2 problems to fix in the draft" in page
    assert "SMS fallback: Write the SMS sent to phones without RCS" in page
    assert "{{ prenom }} is used but not declared" in page
    assert not Message.objects.exists()


def test_a_draft_test_is_marked_in_the_admin_and_the_api(
    english, client, admin_client, locmem, jobs
):
    signed_in(client)
    template = make_template(slug="soldes_ete")
    send(client, template)
    message = Message.objects.get()

    listing = admin_client.get("/admin/sending/message/?mode=test").content.decode()
    assert "Draft test · soldes_ete" in listing
    filtered = admin_client.get("/admin/sending/message/?mode=test&draft_test__exact=1")
    assert str(message.public_id) in filtered.content.decode()

    _key, secret = make_api_key(mode=ApiKey.Mode.TEST)
    response = client.get(
        f"/api/v1/messages/{message.public_id}", headers={"Authorization": f"Bearer {secret}"}
    )
    body = response.json()
    assert (body["draft_test"], body["template_id"], body["template_version"]) == (
        True,
        "soldes_ete",
        None,
    )
