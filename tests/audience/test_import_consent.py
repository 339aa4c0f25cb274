"""Consent from an imported file: claimed only with its proof, written to the ledger once,
and the current-consent columns always equal to what the ledger says."""

from datetime import datetime

import pytest
from django.db.models import Count

from audience.models import ConsentEntry, Contact
from messaging.providers.normalized import Channel
from tests.support.imports import import_bytes, import_folder, rejected_rows  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_folder", "english")]

WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS."


def assert_columns_equal_ledger():
    for contact in Contact.objects.all():
        for channel in Channel:
            latest = contact.current_consent(channel)
            assert contact.consent(channel) == (latest.kind if latest else "none"), contact
            column = "sms_consent_at" if channel == Channel.SMS else "rcs_consent_at"
            assert getattr(contact, column) == (latest.occurred_at if latest else None)


def test_opt_ins_with_source_and_wording_are_recorded_with_their_proof():
    data = (
        "phone;consentement;canal;source;mention;date consentement\n"
        f"0612345678;oui;sms;Formulaire boutique;{WORDING};15/03/2025 10:30\n"
        f"0612345679;opt-in;;web_form;{WORDING};2025-03-16\n"
        "0612345680;non;;;;\n"
    ).encode()
    done = import_bytes(data)
    assert done.consent_count == 3
    entry = ConsentEntry.objects.get(contact__phone="+33612345678")
    assert (entry.kind, entry.channel, entry.source, entry.wording) == (
        "opt_in",
        "sms",
        "import",
        WORDING,
    )
    assert entry.operator == f"import {done.pk}: Formulaire boutique"
    assert entry.occurred_at.astimezone().replace(tzinfo=None) == datetime(2025, 3, 15, 10, 30)
    anne = Contact.objects.get(phone="+33612345678")
    assert (anne.sms_consent, anne.rcs_consent) == ("opt_in", "none")
    assert ConsentEntry.objects.get(contact__phone="+33612345679").source == "web_form"
    assert Contact.objects.get(phone="+33612345680").sms_consent == "opt_out"
    assert Contact.objects.promotable().count() == 2
    assert_columns_equal_ledger()


def test_a_file_without_source_or_wording_imports_contacts_without_consent():
    done = import_bytes(b"phone,consent\n0612345678,oui\n0612345679,non\n")
    assert Contact.objects.count() == 2
    assert done.unproven_opt_ins == 1
    # Withdrawing needs no proof: the opt-out is kept.
    assert list(ConsentEntry.objects.values_list("kind", flat=True)) == ["opt_out"]
    assert Contact.objects.get(phone="+33612345678").sms_consent == "none"
    assert_columns_equal_ledger()


def test_an_opt_in_row_without_its_wording_and_bad_consent_values_are_rejected():
    data = (
        "phone,consent,channel,source,wording,collected_at\n"
        "0612345678,oui,,web,,\n"
        "0612345679,peut-être,,web,texte,\n"
        "0612345680,oui,fax,web,texte,\n"
        "0612345681,oui,,web,texte,demain\n"
        "0612345682,oui,,web,texte,2999-01-01\n"
        "0612345683,oui,,web,texte,\n"
    ).encode()
    done = import_bytes(data)
    assert done.reasons == {"bad_consent": 5}
    assert Contact.objects.get().phone == "+33612345683"
    reasons = [row[-1] for row in rejected_rows(done)[1:]]
    assert reasons[0] == "An opt-in needs its proof: this row has no consent source or no wording."
    assert "neither an opt-in" in reasons[1]
    assert "is not a channel" in reasons[2]
    assert "is not a date" in reasons[3]
    assert "future" in reasons[4]


def test_reimport_adds_no_entry_and_does_not_undo_a_later_stop():
    data = f"phone,consent,source,wording\n0612345678,oui,web,{WORDING}\n".encode()
    import_bytes(data)
    contact = Contact.objects.get()
    ConsentEntry.objects.create(
        contact=contact, kind="opt_out", source=ConsentEntry.Source.INBOUND_STOP, wording="STOP"
    )
    again = import_bytes(data)
    assert again.consent_count == 0
    contact.refresh_from_db()
    assert contact.sms_consent == "opt_out"
    assert ConsentEntry.objects.count() == 2


def test_columns_equal_the_ledger_after_an_import_over_existing_consent():
    from tests.factories import make_consent, make_contact

    old = make_contact(phone="+33612345678")
    make_consent(old, occurred_at=datetime.fromisoformat("2026-01-01T00:00:00+00:00"))
    make_consent(make_contact(phone="+33612345679"), kind="opt_out")
    data = (
        b"phone,consent,channel,source,wording,date\n"
        b"0612345678,non,rcs,web,,2025-01-01\n"
        b"0612345679,oui,sms,web,texte,2099-01-01\n"
        b"0612345679,oui,all,web,texte,\n"
        b"0612345680,oui,rcs,web,texte,2025-06-01\n"
    )
    import_bytes(data, mapping={"date": "consent_collected_at"})
    # The older opt-out of +33612345678's RCS does not beat its 2026 opt-in.
    assert Contact.objects.get(phone="+33612345678").rcs_consent == "opt_in"
    assert_columns_equal_ledger()
    assert not Contact.objects.annotate(n=Count("consent_entries")).filter(
        n=0, sms_consent="opt_in"
    )


def test_new_contacts_get_the_consent_columns_their_ledger_gives():
    """On PostgreSQL a new contact's columns are set with the contact, not refreshed after:
    refreshing them from the ledger afterwards changes nothing."""
    from audience.imports.writing import refresh_consent_columns

    data = (
        b"phone,consent,channel,source,wording,date\n"
        b"0612345678,non,rcs,web,,2025-01-01\n"
        b"0612345679,oui,sms,web,texte,2025-02-01 10:30\n"
        b"0612345680,oui,all,web,texte,\n"
        b"0612345681,,,,,\n"
    )
    import_bytes(data, mapping={"date": "consent_collected_at"})
    columns = ("phone", "sms_consent", "sms_consent_at", "rcs_consent", "rcs_consent_at")
    columns += ("consent_updated",)
    written = list(Contact.objects.order_by("phone").values_list(*columns))
    assert [row[1:4:2] for row in written] == [
        ("none", "opt_out"),
        ("opt_in", "none"),
        ("opt_in", "opt_in"),
        ("none", "none"),
    ]
    assert written[3][-1] is None and all(row[-1] is not None for row in written[:3])
    refresh_consent_columns(Contact.objects.values_list("pk", flat=True))
    assert list(Contact.objects.order_by("phone").values_list(*columns)) == written
    assert_columns_equal_ledger()
