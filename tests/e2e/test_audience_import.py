"""Import a CSV in real Chromium: upload, map the columns, watch the progress bar reach the end,
read the report and download the rejected rows."""

import pytest
from playwright.sync_api import expect

from audience.models import Contact
from tests.support.browser import marketer_page
from tests.support.imports import import_folder  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("import_folder"),
]
PASSWORD = "a-long-demo-passphrase"
CSV = (
    "Téléphone;Prénom;Nom;Ville;Consentement;Origine;Texte accepté\n"
    "06 12 34 56 78;Hélène;Lefèvre;Besançon;oui;Formulaire boutique;J'accepte les offres par SMS\n"
    "+33 6 12 34 56 79;Bruno;Martin;Lyon;oui;Formulaire boutique;J'accepte les offres par SMS\n"
    "06.12.34.56.80;Chloé;Durand;Nantes;non;;\n"
    "0033612345681;Denis;Petit;Lille;;;\n"
    "01 42 68 53 00;Accueil;Magasin;Paris;;;\n"
    "06 12 34 56 78;Hélène;Lefèvre;Besançon;oui;Formulaire boutique;J'accepte les offres par SMS\n"
    "12345;Erreur;Saisie;Paris;;;\n"
).encode("cp1252")


@pytest.mark.parametrize(
    "viewport, phone, suffix",
    [({"width": 1366, "height": 900}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)
def test_import_a_csv_and_read_its_report(
    browser, live_server, jobs, screenshot, tmp_path, viewport, phone, suffix
):
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)
    page.goto(page.base_url + "/audience/")
    page.get_by_role("link", name="Import contacts").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "clients.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_text("clients.csv · read as Windows-1252 (Excel)")).to_be_visible()
    expect(page.get_by_label("Téléphone")).to_have_value("phone")
    expect(page.get_by_label("Prénom")).to_have_value("first_name")
    expect(page.get_by_label("Ville")).to_have_value("attribute:ville")
    note = page.get_by_text("No consent will be imported unless")
    expect(note).to_be_visible()
    # The headers say nothing a guess can use: the marketer says what they hold.
    page.get_by_label("Origine").select_option("consent_source")
    page.get_by_label("Texte accepté").select_option("consent_wording")
    expect(note).to_be_hidden()
    page.get_by_label("Add the contacts to a list").fill("Clients fidèles")
    screenshot(page, f"audience-import-mapping{suffix}", full_page=True)
    page.get_by_role("button", name="Start the import").click()

    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_text("Waiting for a worker to start the import…")).to_be_visible()
    jobs.run()  # the worker's turn
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=8_000)
    report = page.get_by_role("region", name="Import report")
    expect(report).to_contain_text("7 rows read in the file.")
    expect(report.locator('[data-count="created"]')).to_have_text("4")
    expect(report.locator('[data-count="rejected"]')).to_have_text("3")
    expect(report).to_contain_text("3 consent entries written to the ledger")
    expect(report).to_contain_text("4 contacts added to the list “Clients fidèles”.")
    expect(report).to_contain_text("Same number as an earlier line of the file")
    screenshot(page, f"audience-import-report{suffix}", full_page=True)

    with page.expect_download() as download:
        report.get_by_role("link", name="Download the rejected rows (CSV)").click()
    saved = tmp_path / "rejected.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("line;Téléphone;Prénom")
    assert [line.split(";")[0] for line in lines[1:]] == ["6", "8", "7"]
    assert "landline" in lines[1] and "Same number as line 2" in lines[3]
    assert Contact.objects.promotable().count() == 2
    page.context.close()


def test_an_excel_workbook_is_refused_with_what_to_do(browser, live_server, screenshot):
    page = marketer_page(
        browser, live_server, viewport={"width": 390, "height": 844}, phone=True, password=PASSWORD
    )
    page.goto(page.base_url + "/audience/import/")
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "clients.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": b"PK\x03\x04xl/",
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("This is an Excel workbook, not a CSV file.")).to_be_visible()
    expect(page.get_by_text("“CSV UTF-8 (comma delimited)”")).to_be_visible()
    screenshot(page, "audience-import-refused-phone", full_page=True)
    page.context.close()
