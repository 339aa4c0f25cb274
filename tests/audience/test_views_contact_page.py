"""A contact's page shows who they are, their lists, capability, consent and its history, the
messages sent and their events; opt out, erase (typed), export (JSON download)."""

import json

import pytest

from audience.erasure import erased_consent_proof
from audience.models import Contact, ContactList
from audience.services import add_to_list
from tests.factories import make_consent, make_contact, make_sent_message
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."


@pytest.fixture
def marie():
    contact = make_contact(
        phone="+33612345678",
        first_name="Marie",
        last_name="Curie",
        email="marie@shop.example",
        language="fr",
        attributes={"city": "Lyon", "basket_value": 84.5, "items": 3},
    )
    make_consent(contact, ip="203.0.113.9", operator="Shop key")
    make_consent(contact, kind="opt_out", channel="sms", source="inbound_stop", wording="STOP")
    add_to_list(ContactList.objects.create(name="VIP"), [contact], source="import")
    make_sent_message(
        contact,
        events=[
            ("delivered", {"channel": "rcs"}),
            ("clicked", {"channel": "rcs", "cta_id": "cta_offres01"}),
        ],
    )
    return contact


def page_of(client, contact):
    return client.get(f"/audience/contacts/{contact.public_id}/").content.decode()


def test_the_page_shows_the_person_their_consent_and_their_messages(client, marie):
    signed_in(client)
    page = page_of(client, marie)

    for expected in ("Marie", "Curie", "marie@shop.example", "Lyon", "84.5", "VIP"):
        assert expected in page
    assert "<dt>items</dt><dd" in page
    # Current consent: SMS out (the STOP), RCS still in.
    assert 'data-consent="sms"' in page and 'data-consent="rcs"' in page
    sms = page.split('data-consent="sms"')[1].split("data-consent")[0]
    assert "Opt-out" in sms
    assert WORDING.replace("'", "&#x27;") in page and "203.0.113.9" in page and "Shop key" in page
    assert "STOP reply" in page and "Web form" in page
    assert "Delivered" in page and "Clicked" in page and "cta_offres01" in page
    assert "v1" in page
    assert 'href="/audience/"' in page


def test_a_test_contact_says_so_and_leads_back_to_test_data(client):
    signed_in(client)
    contact = make_contact(test_mode=True)
    page = page_of(client, contact)
    assert "Test data" in page and 'href="/audience/?mode=test"' in page


def test_opting_out_from_the_page_is_recorded_with_the_operator(client, marie):
    user = signed_in(client)
    response = client.post(f"/audience/contacts/{marie.public_id}/opt-out/", follow=True)

    assert "Only a new opt-in undoes it." in response.content.decode()
    marie.refresh_from_db()
    assert (marie.sms_consent, marie.rcs_consent) == ("opt_out", "opt_out")
    assert marie.consent_entries.latest_covering("rcs").operator == user.username


def test_erasure_needs_the_number_typed_again(client, marie):
    signed_in(client)
    url = f"/audience/contacts/{marie.public_id}/erase/"

    wrong = client.post(url, {"confirm_phone": "06 12 34 56 79"})
    assert wrong.status_code == 400
    assert "Type the contact&#x27;s number, +33612345678, to erase it." in wrong.content.decode()
    assert Contact.objects.filter(pk=marie.pk).exists()

    done = client.post(url, {"confirm_phone": "06 12 34 56 78"}, follow=True)
    assert done.redirect_chain[-1][0] == "/audience/"
    assert "Contact +33612345678 erased" in done.content.decode()
    assert not Contact.objects.filter(pk=marie.pk).exists()
    assert [row.source for row in erased_consent_proof("+33612345678")][-1] == "erasure"


def test_the_export_is_a_json_download_of_everything(client, marie):
    signed_in(client)
    response = client.get(f"/audience/contacts/{marie.public_id}/export/")

    assert response["Content-Type"] == "application/json"
    assert (
        response["Content-Disposition"] == f'attachment; filename="contact-{marie.public_id}.json"'
    )
    data = json.loads(response.content)
    assert data["contact"]["phone"] == "+33612345678"
    assert data["contact"]["attributes"] == {"city": "Lyon", "basket_value": 84.5, "items": 3}
    assert [item["name"] for item in data["lists"]] == ["VIP"]
    assert [(e["kind"], e["source"]) for e in data["consent_history"]] == [
        ("opt_in", "web_form"),
        ("opt_out", "inbound_stop"),
    ]
    assert data["consent_history"][0]["ip"] == "203.0.113.9"
    [message] = data["messages"]
    assert message["status"] == "delivered" and message["variables"] == {"prenom": "Marie"}
    assert message["template"]["version"] == 1
    assert sorted(e["type"] for e in message["events"]) == ["clicked", "delivered"]
    assert "locked_until" not in message and "id" not in message


def test_a_viewer_reads_and_exports_but_cannot_opt_out_or_erase(client, marie):
    signed_in(client, role="Viewer")
    page = page_of(client, marie)

    assert "Export (JSON)" in page
    assert "Erase this contact" not in page and "opt-out-dialog" not in page
    assert (
        client.post(
            f"/audience/contacts/{marie.public_id}/erase/", {"confirm_phone": marie.phone}
        ).status_code
        == 403
    )
    assert client.post(f"/audience/contacts/{marie.public_id}/opt-out/").status_code == 403
    assert Contact.objects.filter(pk=marie.pk, rcs_consent="opt_in").exists()


def test_an_unknown_contact_is_a_404(client):
    signed_in(client)
    assert client.get("/audience/contacts/3b241101-e2bb-4255-8caf-4136c566a962/").status_code == 404
