"""Contact import helpers: a private folder for uploaded files, and one call that imports the
bytes of a CSV file the way the upload screen does (upload, mapping, run)."""

import pytest
from django.core.files.base import ContentFile


@pytest.fixture
def import_folder(settings, tmp_path):
    """Uploaded files and reports go to a folder of this test (var/imports otherwise)."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def import_bytes(data, *, mapping=None, test_mode=False, list_name="", name="contacts.csv"):
    """Upload data as a file, map its columns (guessed, or mapping as {header: field}) and run
    the import now; returns the finished ContactImport."""
    from audience.imports import runs

    contact_import = runs.open_upload(ContentFile(data, name=name), test_mode=test_mode)
    chosen = runs.suggested_mapping(contact_import)
    if mapping:
        chosen = [
            mapping.get(header, field)
            for header, field in zip(contact_import.headers, chosen, strict=True)
        ]
    runs.choose(contact_import, chosen, list_name=list_name)
    return runs.run(contact_import.pk)


def rejected_rows(contact_import):
    """The rejected-rows report as a list of rows (the header first)."""
    import csv
    import io

    with contact_import.rejected_report.open("rb") as report:
        text = report.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))
