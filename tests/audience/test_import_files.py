"""Files the import refuses at once, with a message saying what to fix; the command; the COPY
and ORM writers giving the same result."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from audience.imports import runs, writing
from audience.imports.reading import FileRefused
from audience.models import ConsentEntry, Contact, ContactImport, ListMembership
from tests.support.imports import import_bytes, import_folder  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_folder", "english")]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"\n \n", "The file is empty."),
        (PNG, "This file is not a CSV file (it looks like a picture)."),
        (XLSX, "This is an Excel workbook, not a CSV file."),
        (b"%PDF-1.7\n", "it looks like a PDF"),
        (b"phone,first_name\n", "The file has a header line but no contact under it."),
        (b"first_name,city\nAnne,Lyon\nBob,Paris\n", "No column of this file looks like phone"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_at_once(data, message):
    with pytest.raises(FileRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        runs.open_upload(ContentFile(data, name="contacts.csv"))
    assert not ContactImport.objects.exists()


def test_a_file_over_the_limit_is_refused(settings):
    settings.CONTACT_IMPORT_MAX_MB = 1
    data = b"phone\n" + b"0612345678\n" * 100_000
    with pytest.raises(FileRefused, match=r"The file is too big \(1 MB; at most 1 MB\)"):
        runs.open_upload(ContentFile(data, name="big.csv"))


def test_a_phone_column_without_a_phone_header_is_found_by_its_values():
    contact_import = runs.open_upload(ContentFile(b"a,b\nAnne,06 12 34 56 78\n", name="x.csv"))
    assert runs.suggested_mapping(contact_import) == ["attribute:a", "phone"]


def test_the_last_mapping_used_for_the_same_columns_is_offered_again():
    first = runs.open_upload(ContentFile(b"Tel,Ref\n0612345678,A1\n", name="a.csv"))
    runs.choose(first, ["phone", "last_name"])
    again = runs.open_upload(ContentFile(b"ref,tel\nB2,0612345679\n", name="b.csv"))
    assert runs.suggested_mapping(again) == ["last_name", "phone"]


def test_the_command_imports_a_file_and_prints_a_summary(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes("Téléphone;Prénom\n06 12 34 56 78;Anne\n123;Bad\n".encode("cp1252"))
    out = io.StringIO()
    call_command("import_contacts", str(path), "--list", "Clients fidèles", stdout=out)
    text = out.getvalue()
    assert "clients.csv: cp1252, delimiter ';', live data" in text
    assert "Téléphone -> phone, Prénom -> first_name" in text
    assert "Contacts created: 1, updated: 0, unchanged: 0" in text
    assert "contacts were imported WITHOUT consent" in text
    assert "Rows rejected: 1\n  invalid_phone: 1" in text
    assert "Added to list “Clients fidèles”: 1" in text
    assert Contact.objects.get().lists.get().name == "Clients fidèles"


def test_the_command_takes_a_mapping_and_test_mode(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"num,x\n0612345678,Anne\n")
    call_command(
        "import_contacts", str(path), "--test", "--mapping", "x=first_name", stdout=io.StringIO()
    )
    assert Contact.objects.test().get().first_name == "Anne"
    with pytest.raises(CommandError, match="give Header=field with a header of the file"):
        call_command("import_contacts", str(path), "--mapping", "nope=phone", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a CSV file"):
        (tmp_path / "p.csv").write_bytes(PNG)
        call_command("import_contacts", str(tmp_path / "p.csv"), stdout=io.StringIO())


MIXED = (
    b"phone,first_name,city,consent,channel,source,wording,date consentement\n"
    b"0612345678,Anne,Lyon,oui,sms,web,J'accepte,2025-01-02 10:00\n"
    b"0612345679,Bob,,non,,,,\n"
    b"0612345680,,Paris,oui,,web_form,J'accepte,\n"
    b"0612345681,Dan,Nice,,,,,\n"
    b"0612345678,Anne again,,,,,,\n"
    b"01 42 68 53 00,Fixed,,,,,,\n"
)


def snapshot(test_mode):
    contacts = Contact.objects.in_mode(test_mode).order_by("phone")
    return {
        "contacts": list(
            contacts.values_list("phone", "first_name", "attributes", "sms_consent", "rcs_consent")
        ),
        "ledger": sorted(
            ConsentEntry.objects.in_mode(test_mode).values_list(
                "contact__phone", "kind", "channel", "source", "wording"
            )
        ),
        "lists": sorted(
            ListMembership.objects.filter(contact__test_mode=test_mode).values_list(
                "contact__phone", "contact_list__name"
            )
        ),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_and_orm_writers_give_the_same_result(monkeypatch):
    counts = {}
    for test_mode, copy in ((False, True), (True, False)):
        monkeypatch.setattr(writing, "uses_copy", lambda copy=copy: copy)
        for _round in range(2):
            done = import_bytes(MIXED, test_mode=test_mode, list_name="Clients")
            counts[test_mode, _round] = (
                done.created_count,
                done.updated_count,
                done.unchanged_count,
                done.consent_count,
                done.membership_count,
                done.reasons,
            )
    assert snapshot(False) == snapshot(True)
    assert (
        counts[False, 0]
        == counts[True, 0]
        == (4, 0, 0, 3, 4, {"duplicate_in_file": 1, "not_a_mobile_number": 1})
    )
    assert (
        counts[False, 1]
        == counts[True, 1]
        == (0, 0, 4, 0, 0, {"duplicate_in_file": 1, "not_a_mobile_number": 1})
    )


def test_orm_writer_result_on_this_database():
    done = import_bytes(MIXED, list_name="Clients")
    assert (done.created_count, done.consent_count, done.membership_count) == (4, 3, 4)
    assert snapshot(False)["ledger"] == [
        ("+33612345678", "opt_in", "sms", "import", "J'accepte"),
        ("+33612345679", "opt_out", "all", "import", ""),
        ("+33612345680", "opt_in", "all", "web_form", "J'accepte"),
    ]
