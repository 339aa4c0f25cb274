"""DELETE /api/v1/contacts/{id}: personal data goes, an anonymised proof of consent stays."""

from audience.erasure import erased_consent_proof, phone_hash
from audience.models import ConsentEntry, Contact, ContactList, ErasedConsent
from sending.models import Message
from tests.factories import make_consent, make_contact


def test_erasure_removes_the_person_and_keeps_an_anonymised_proof(
    api, seed_template, jobs, settings
):
    contact = make_contact(
        phone="+33612345601", test_mode=True, first_name="Marie", email="m@example.com"
    )
    make_consent(contact, ip="203.0.113.9", operator="Shop")
    make_consent(contact, kind="opt_out", source="inbound_stop", wording="STOP Marie Curie")
    ContactList.objects.create(name="VIP", test_mode=True).contacts.add(
        contact, through_defaults={"source": "api"}
    )
    Message.objects.create(
        contact=contact,
        template_version=seed_template.versions.first(),
        traffic_type="promotion",
        intended_channel="rcs",
        rcs_ttl_seconds=3600,
        test_mode=True,
        variables={"prenom": "Marie"},
    )

    response = api.delete(f"/api/v1/contacts/{contact.public_id}")

    assert response.status_code == 204
    assert not Contact.objects.filter(phone="+33612345601").exists()
    assert not ConsentEntry.objects.filter(contact_id=contact.pk).exists()
    assert not Message.objects.filter(contact_id=contact.pk).exists()
    proof = list(erased_consent_proof("+33612345601", test_mode=True))
    assert [(row.kind, row.source) for row in proof] == [
        ("opt_in", "web_form"),
        ("opt_out", "inbound_stop"),
        ("opt_out", "erasure"),
    ]
    # Nothing in the proof names the person: the STOP text, the IP and the number are gone.
    stored = " ".join(
        str(value) for row in ErasedConsent.objects.values() for value in row.values()
    )
    for personal in ("+33612345601", "612345601", "Marie", "203.0.113.9", "m@example.com"):
        assert personal not in stored
    assert proof[0].phone_hash == phone_hash("+33612345601")
    assert api.get(f"/api/v1/contacts/{contact.public_id}").status_code == 404


def test_the_proof_is_found_after_the_secret_key_rotates(db, settings):
    contact = make_contact(phone="+33612345601", opted_in=True)
    from audience.erasure import erase_contact

    erase_contact(contact)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-of-at-least-32-characters-long"

    assert len(erased_consent_proof("+33612345601")) == 2
    assert not erased_consent_proof("+33612345601", test_mode=True).exists()


def test_a_key_cannot_erase_a_contact_of_the_other_mode(api):
    live = make_contact()

    assert api.delete(f"/api/v1/contacts/{live.public_id}").status_code == 404
    assert Contact.objects.filter(pk=live.pk).exists()
