"""A contact import run by a real RQ worker process, as in production: the file uploaded and
mapped here, the job put on the default queue, `manage.py rqworker default` running it.

The worker reads the uploaded file from the same folder (RELAIS_TEST_VAR_DIR, which
tests/support/worker_settings.py makes its VAR_DIR) and writes to the same test database.
"""

import csv
import io
import time

import pytest
from django.core.files.base import ContentFile

import jobs
from audience.imports import runs
from audience.imports.engine import CHUNK_ROWS
from audience.models import ConsentEntry, Contact, ContactImport, ListMembership
from tests.support.imports import import_folder, rejected_rows  # noqa: F401
from tests.support.workers import Workers, empty_queues, skip_on_memory_database

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("english"),
]

WAIT_SECONDS = 120
# More than two chunks, so progress is saved on the way.
ROWS = 2 * CHUNK_ROWS + 1_500


@pytest.fixture
def worker(settings, import_folder):  # noqa: F811
    """Start a real worker on the default queue; yields a function giving its log."""
    skip_on_memory_database()
    empty_queues(jobs.DEFAULT)
    log_path = import_folder.parent / "worker.log"
    workers = Workers()
    workers.start("rqworker", jobs.DEFAULT, log=log_path, RELAIS_TEST_VAR_DIR=str(settings.VAR_DIR))
    yield lambda: log_path.read_text(errors="replace")
    workers.stop()
    empty_queues(jobs.DEFAULT)


def customer_file():
    """Semicolon, Windows-1252, as Excel writes it: French mobiles in every common form, a
    landline and a bad number every 100 rows, a repeated number every 100 rows, an opt-in with
    its proof on every third row."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Téléphone", "Prénom", "Ville", "Consentement", "Source", "Mention"])
    forms = ["0{}", "+33 {}", "0033{}", "0{} spaced", "0{} dotted"]
    for index in range(ROWS):
        national = f"6{20000000 + index:08d}"
        form = forms[index % len(forms)]
        if form.endswith("spaced"):
            phone = "0" + national[0] + " " + " ".join(national[i : i + 2] for i in range(1, 9, 2))
        elif form.endswith("dotted"):
            phone = "0" + national[0] + "." + ".".join(national[i : i + 2] for i in range(1, 9, 2))
        else:
            phone = form.format(national)
        if index % 100 == 10:
            phone = "01 42 68 53 00"
        elif index % 100 == 20:
            phone = "12345"
        elif index % 100 == 30 and index > 100:
            phone = f"06{20000000 + index - 50:08d}"
        opted = index % 3 == 0
        writer.writerow(
            [
                phone,
                "Hélène",
                "Besançon",
                "oui" if opted else "",
                "Boutique" if opted else "",
                "J'accepte les offres par SMS." if opted else "",
            ]
        )
    return text.getvalue().encode("cp1252")


def test_a_real_worker_runs_an_uploaded_import_to_done(worker, import_folder):  # noqa: F811
    contact_import = runs.open_upload(ContentFile(customer_file(), name="clients.csv"))
    runs.choose(contact_import, runs.suggested_mapping(contact_import), list_name="Clients")
    # The file is in the test's own folder: the worker finds it only if it sees that folder.
    assert (import_folder / contact_import.file.name).exists()
    runs.start(contact_import)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        contact_import.refresh_from_db()
        if contact_import.status in (ContactImport.Status.DONE, ContactImport.Status.FAILED):
            break
        time.sleep(0.25)
    else:
        pytest.fail(f"the import is still {contact_import.status}; worker log:\n{worker()}")
    assert contact_import.status == ContactImport.Status.DONE, worker()

    hundreds = ROWS // 100 + (ROWS % 100 > 10)
    repeats = ROWS // 100 - 1 + (ROWS % 100 > 30)
    imported = ROWS - 2 * hundreds - repeats
    assert contact_import.rows == ROWS
    assert contact_import.reasons == {
        "not_a_mobile_number": hundreds,
        "invalid_phone": hundreds,
        "duplicate_in_file": repeats,
    }
    assert (contact_import.created_count, contact_import.rejected_count) == (
        imported,
        2 * hundreds + repeats,
    )
    assert contact_import.bytes_read == contact_import.size
    contacts = Contact.objects.in_mode(False)
    assert contacts.count() == imported
    assert contacts.filter(attributes__ville="Besançon", first_name="Hélène").count() == imported
    # Every form of the same number became one E.164 contact.
    assert contacts.filter(phone="+33620000001").exists()
    assert contacts.filter(phone="+33620000003").exists()
    assert contact_import.membership_count == imported
    assert ListMembership.objects.filter(contact_list__name="Clients").count() == imported
    assert contact_import.consent_count == ConsentEntry.objects.count()
    assert contacts.filter(sms_consent="opt_in").count() == contact_import.consent_count > 0
    report = rejected_rows(contact_import)
    assert len(report) == 1 + contact_import.rejected_count
