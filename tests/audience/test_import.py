"""The contact import engine: files of every common shape, row checks, upsert and re-import."""

import pytest

from audience.models import Contact, ContactImport, ContactList
from tests.support.imports import import_bytes, import_folder, rejected_rows  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_folder", "english")]

HEADER = "phone,first_name,last_name,email,city\n"


def test_numbers_in_every_common_form_become_one_e164_each():
    data = (
        "téléphone;prénom\n"
        "06 12 34 56 78;Anne\n"
        "+33 6 12 34 56 79;Bruno\n"
        "06.12.34.56.80;Chloé\n"
        "0033612345681;Denis\n"
        "+33612345682;Eve\n"
    ).encode()
    done = import_bytes(data)
    assert done.status == ContactImport.Status.DONE
    phones = sorted(Contact.objects.values_list("phone", flat=True))
    assert phones == [f"+336123456{n}" for n in range(78, 83)]
    assert Contact.objects.get(phone="+33612345680").first_name == "Chloé"
    assert (done.rows, done.created_count, done.rejected_count) == (5, 5, 0)


def test_bad_numbers_landlines_and_missing_phones_are_rejected_with_a_reason():
    data = (
        HEADER + "06 12 34 56 78,Anne,,,\n"
        "123,Bad,,,\n"
        "01 42 68 53 00,Landline,,,\n"
        ",Nobody,,,\n"
        "06 12 34 56 79,Mail,,not-an-email,\n"
    ).encode()
    done = import_bytes(data)
    assert done.created_count == 1
    assert done.rejected_count == 4
    assert done.reasons == {
        "invalid_phone": 1,
        "not_a_mobile_number": 1,
        "missing_phone": 1,
        "invalid_email": 1,
    }
    rows = rejected_rows(done)
    assert rows[0] == ["line", "phone", "first_name", "last_name", "email", "city", "reason"]
    by_line = {row[0]: row[-1] for row in rows[1:]}
    assert "not a valid phone number" in by_line["3"]
    assert "landline" in by_line["4"]
    assert by_line["5"] == "No phone number in this row."
    assert "not an email address" in by_line["6"]


def test_a_number_repeated_in_the_file_is_imported_once_and_reported():
    data = (HEADER + "0612345678,Anne,,,\n06 12 34 56 79,Bob,,,\n+33612345678,Anne2,,,\n").encode()
    done = import_bytes(data)
    assert Contact.objects.count() == 2
    assert Contact.objects.get(phone="+33612345678").first_name == "Anne"
    assert done.reasons == {"duplicate_in_file": 1}
    assert rejected_rows(done)[1] == [
        "4",
        "+33612345678",
        "Anne2",
        "",
        "",
        "",
        "Same number as line 2, which was imported.",
    ]


def test_duplicates_are_found_across_chunks(monkeypatch):
    from audience.imports import engine

    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    lines = [f"06123456{n:02d},P{n},,," for n in range(10)] + ["0612345601,Again,,,"]
    done = import_bytes((HEADER + "\n".join(lines) + "\n").encode())
    assert Contact.objects.count() == 10
    assert done.reasons == {"duplicate_in_file": 1}
    assert rejected_rows(done)[1][-1] == "Same number as line 3, which was imported."


def test_latin1_excel_export_with_semicolons():
    data = "Téléphone;Prénom;Nom;Ville\n06 12 34 56 78;Hélène;Lefèvre;Besançon\n".encode("cp1252")
    done = import_bytes(data)
    assert (done.encoding, done.delimiter) == ("cp1252", ";")
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name) == ("Hélène", "Lefèvre")
    assert contact.attributes == {"ville": "Besançon"}


def test_utf8_with_bom_and_tabs():
    data = "\ufeffphone\tfirst_name\tcity\n0612345678\tZoé\tLyon\n".encode()
    done = import_bytes(data)
    assert (done.encoding, done.delimiter) == ("utf-8-sig", "\t")
    assert done.headers == ["phone", "first_name", "city"]
    assert Contact.objects.get().first_name == "Zoé"


def test_utf8_file_with_a_stray_windows_accent_far_down_still_imports():
    lines = [f"06123{n:05d},Plain" for n in range(20_000)]
    data = ("phone,first_name\n" + "\n".join(lines) + "\n").encode() + "0699999999,Noël\n".encode(
        "cp1252"
    )
    done = import_bytes(data)
    assert done.encoding == "utf-8"
    assert Contact.objects.get(phone="+33699999999").first_name == "Noël"


def test_short_rows_miss_their_last_columns_without_failing():
    done = import_bytes(b"first_name,city,phone\nAnne,Lyon\nBob,Paris,0612345678\n")
    assert done.reasons == {"missing_phone": 1}
    assert Contact.objects.get().first_name == "Bob"


def test_reimporting_the_same_file_changes_nothing():
    data = (
        "phone,first_name,consent,source,wording,list\n"
        "0612345678,Anne,oui,web_form,J'accepte les offres par SMS,VIP\n"
        "0612345679,Bob,non,,,VIP\n"
        "0612345680,Chloé,,,,VIP\n"
    ).encode()
    first = import_bytes(data, list_name="Clients")
    before = (
        list(Contact.objects.order_by("phone").values()),
        list(Contact.objects.values_list("consent_entries__pk", flat=True).order_by("pk")),
    )
    second = import_bytes(data, list_name="Clients")
    after = (
        list(Contact.objects.order_by("phone").values()),
        list(Contact.objects.values_list("consent_entries__pk", flat=True).order_by("pk")),
    )
    assert after == before
    assert (first.created_count, first.consent_count, first.membership_count) == (3, 2, 3)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert (second.consent_count, second.membership_count) == (0, 0)
    assert ContactList.objects.get().contacts.count() == 3


def test_a_second_file_updates_names_and_merges_attributes_but_empty_cells_keep_values():
    import_bytes(b"phone,first_name,city,gender\n0612345678,Anne,Lyon,F\n")
    done = import_bytes(b"phone,first_name,city,basket\n0612345678,,Paris,42\n")
    contact = Contact.objects.get()
    assert contact.first_name == "Anne"
    assert contact.attributes == {"city": "Paris", "gender": "F", "basket": "42"}
    assert (done.created_count, done.updated_count) == (0, 1)


def test_test_and_live_imports_never_touch_each_other():
    import_bytes(b"phone,first_name\n0612345678,Live\n", list_name="Clients")
    import_bytes(b"phone,first_name\n0612345678,Test\n", test_mode=True, list_name="Clients")
    live = Contact.objects.live().get()
    test = Contact.objects.test().get()
    assert (live.first_name, test.first_name) == ("Live", "Test")
    assert list(live.lists.values_list("test_mode", flat=True)) == [False]
    assert list(test.lists.values_list("test_mode", flat=True)) == [True]


def test_mapping_given_by_hand_wins_over_guesses():
    done = import_bytes(
        b"col1,col2\nAnne,0612345678\n", mapping={"col1": "last_name", "col2": "phone"}
    )
    assert done.mapping == ["last_name", "phone"]
    assert Contact.objects.get().last_name == "Anne"


def test_numbers_excel_and_crms_mangle_still_read():
    data = (
        b"phone,first_name\n"
        b"612345678,Lost zero\n"
        b"33612345679,No plus\n"
        b"+33 (0)6 12 34 56 80,Trunk zero\n"
        b"06-12-34-56-81,Dashes\n"
    )
    done = import_bytes(data)
    assert done.rejected_count == 0
    assert sorted(Contact.objects.values_list("phone", flat=True)) == [
        "+33612345678",
        "+33612345679",
        "+33612345680",
        "+33612345681",
    ]


def test_excel_sep_line_names_the_delimiter():
    done = import_bytes(b"sep=;\r\nphone;city\r\n0612345678;Lyon, centre\r\n")
    assert (done.delimiter, done.headers) == (";", ["phone", "city"])
    assert Contact.objects.get().attributes == {"city": "Lyon, centre"}
