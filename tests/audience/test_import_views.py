"""The import screens: upload refusals, the mapping screen, progress and the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audience.models import Contact, ContactImport
from tests.support.imports import import_folder  # noqa: F401
from tests.support.views import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_folder", "english")]

CSV = ("Téléphone;Prénom;Ville\n06 12 34 56 78;Anne;Lyon\n01 42 68 53 00;Fixe;Paris\n").encode(
    "cp1252"
)


def upload(client, data, name="clients.csv", mode=""):
    return client.post(
        "/audience/import/" + (f"?mode={mode}" if mode else ""),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_the_audience_page_links_to_the_import(client):
    signed_in(client)
    assert 'href="/audience/import/"' in client.get("/audience/").content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04rest", "This is an Excel workbook, not a CSV file."),
        (b"name,city\nAnne,Lyon\n", "No column of this file looks like phone numbers"),
    ],
)
def test_a_bad_file_is_refused_on_the_upload_page(client, data, message):
    signed_in(client)
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactImport.objects.exists()


def test_upload_map_and_run_shows_the_report(client, jobs):
    signed_in(client)
    response = upload(client, CSV)
    contact_import = ContactImport.objects.get()
    assert response.url == f"/audience/import/{contact_import.public_id}/"
    page = client.get(response.url).content.decode()
    assert "Hélène" not in page and "Anne" in page  # the preview
    assert '<option value="phone" selected>' in page
    assert '<option value="attribute:ville" selected>' in page
    assert "No consent will be imported" in page
    response = client.post(
        response.url,
        {
            "column-0": "phone",
            "column-1": "first_name",
            "column-2": "attribute:ville",
            "list_name": "VIP",
        },
    )
    assert response.url == f"/audience/import/{contact_import.public_id}/progress/"
    waiting = client.get(response.url).content.decode()
    assert "Waiting for a worker" in waiting and "hx-trigger" in waiting
    assert jobs.names() == ["run_contact_import"]
    jobs.run()
    report = client.get(f"/audience/import/{contact_import.public_id}/status/").content.decode()
    assert "hx-trigger" not in report
    assert 'data-count="created">1<' in report
    assert "Contacts imported without consent." in report
    assert "Not a mobile (landline, premium-rate…)" in report
    assert "1 contact added to the list “VIP”." in report
    download = client.get(f"/audience/import/{contact_import.public_id}/rejected.csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith(
        "3;01 42 68 53 00;Fixe;Paris;+33 1 42 68 53 00 is a landline"
    )
    assert Contact.objects.get().attributes == {"ville": "Lyon"}


def test_a_mapping_without_a_phone_column_is_sent_back_with_the_reason(client, jobs):
    signed_in(client)
    url = upload(client, CSV).url
    response = client.post(url, {"column-0": "", "column-1": "first_name", "column-2": ""})
    assert "Choose the column that holds the phone numbers." in response.content.decode()
    assert jobs.names() == []


def test_an_upload_in_test_mode_imports_test_contacts(client, jobs):
    signed_in(client)
    url = upload(client, CSV, mode="test").url
    client.post(url, {"column-0": "phone", "column-1": "first_name", "column-2": ""})
    jobs.run()
    assert Contact.objects.test().count() == 1 and not Contact.objects.live().exists()


def test_a_viewer_cannot_upload(client):
    signed_in(client, role="Viewer")
    assert upload(client, CSV).status_code == 403


def test_a_failed_import_shows_why_and_can_be_started_again(client, jobs, monkeypatch):
    from audience.imports import runs

    signed_in(client)
    url = upload(client, CSV).url
    client.post(url, {"column-0": "phone", "column-1": "first_name", "column-2": ""})
    working = runs.import_stream
    monkeypatch.setattr(runs, "import_stream", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        jobs.run()
    contact_import = ContactImport.objects.get()
    page = client.get(f"/audience/import/{contact_import.public_id}/progress/").content.decode()
    assert "The import stopped on an unexpected error" in page
    monkeypatch.setattr(runs, "import_stream", working)
    response = client.post(f"/audience/import/{contact_import.public_id}/retry/")
    assert response.url == f"/audience/import/{contact_import.public_id}/progress/"
    jobs.run()
    assert ContactImport.objects.get().status == ContactImport.Status.DONE
    assert Contact.objects.count() == 1
