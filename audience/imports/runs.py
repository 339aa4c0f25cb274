"""A ContactImport from upload to report: refuse a bad file at once, remember mappings, start
the job, run it with progress, keep the report of rejected rows."""

import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jobs
from audience.imports import mapping as columns
from audience.imports.engine import RejectedReport, import_stream
from audience.imports.reading import FileRefused, inspect
from audience.models import ContactImport
from audience.services import get_or_create_list

logger = logging.getLogger(__name__)


def open_upload(upload, *, user=None, test_mode=False, name=None):
    """A pending ContactImport for a file (an upload or any Django File), or FileRefused
    saying what to fix: not a CSV, empty, too big, no column of phone numbers."""
    name = os.path.basename(name or upload.name or "contacts.csv")
    upload.seek(0)
    shape = inspect(upload, upload.size)
    guessed = columns.guess(shape.headers, shape.preview)
    if columns.PHONE not in guessed:
        raise FileRefused(
            _(
                "No column of this file looks like phone numbers (columns: %(headers)s). "
                "Add a column named “phone” or “téléphone” with the numbers, e.g. 06 12 34 56 78."
            )
            % {"headers": ", ".join(shape.headers)}
        )
    upload.seek(0)
    contact_import = ContactImport(
        original_name=name[:255],
        size=upload.size,
        test_mode=bool(test_mode),
        encoding=shape.encoding,
        delimiter=shape.delimiter,
        headers=shape.headers,
        header_key=columns.header_key(shape.headers),
        created_by=user if user is not None and user.is_authenticated else None,
        language=translation.get_language() or "",
    )
    contact_import.file.save(name, upload, save=False)
    contact_import.save()
    return contact_import


def preview(contact_import):
    """The file's first rows, as detection split them."""
    with contact_import.file.open("rb") as binary:
        return inspect(binary, contact_import.size).preview


def suggested_mapping(contact_import, rows=None):
    """The mapping last used for a file with the same columns, else one guessed."""
    earlier = (
        ContactImport.objects.filter(header_key=contact_import.header_key)
        .exclude(pk=contact_import.pk)
        .exclude(mapping=[])
        .order_by("-created")
        .first()
    )
    if earlier is not None:
        # Matched as the key was made: whatever the case, accents or order of the columns.
        by_header = {
            columns.simplify(header): field
            for header, field in zip(earlier.headers, earlier.mapping, strict=False)
        }
        words = [columns.simplify(header) for header in contact_import.headers]
        if all(word in by_header for word in words):
            return [by_header[word] for word in words]
    return columns.guess(
        contact_import.headers, rows if rows is not None else preview(contact_import)
    )


def choose(contact_import, mapping, *, list_name=""):
    """Save the chosen mapping and target list (by name, created in the import's mode), or
    MappingError saying what to change."""
    columns.check(mapping, contact_import.headers)
    contact_import.mapping = mapping
    list_name = (list_name or "").strip()
    if list_name:
        contact_import.contact_list, _created = get_or_create_list(
            list_name[:100], test_mode=contact_import.test_mode
        )
    contact_import.save(update_fields=["mapping", "contact_list"])


# A chunk takes seconds: no progress for this long means the worker is gone.
WORKER_LOST_AFTER = timedelta(minutes=5)
# Past the queue's 300 s: a million rows take minutes (docs/performance.md#contact-import).
JOB_TIMEOUT = 2 * 3600


def start(contact_import):
    """Put the import on the background queue (once its transaction commits)."""
    jobs.enqueue(
        "audience.tasks.run_contact_import",
        contact_import.pk,
        queue=jobs.DEFAULT,
        timeout=JOB_TIMEOUT,
    )


def run(import_id, *, on_progress=None):
    """Import the file of a pending ContactImport, saving progress after each chunk; a failed
    run can be run again (what was written is not written twice)."""
    language = ContactImport.objects.filter(pk=import_id).values_list("language", flat=True)
    with translation.override(language.first() or settings.LANGUAGE_CODE):
        return _run(import_id, on_progress)


def _run(import_id, on_progress):
    now = timezone.now()
    # A running import whose worker died (RQ runs its job again) is taken over; one still
    # saving progress, or done, is left alone: a job run twice does nothing the second time.
    silent = Q(status=ContactImport.Status.RUNNING, heartbeat__lt=now - WORKER_LOST_AFTER)
    claimed = (
        ContactImport.objects.filter(pk=import_id)
        .filter(Q(status__in=[ContactImport.Status.PENDING, ContactImport.Status.FAILED]) | silent)
        .update(status=ContactImport.Status.RUNNING, started=now, heartbeat=now, error="")
    )
    contact_import = ContactImport.objects.get(pk=import_id)
    if not claimed:
        return contact_import

    def progress(outcome, bytes_read):
        _save_outcome(contact_import, outcome, bytes_read=bytes_read)
        if on_progress is not None:
            on_progress(contact_import)

    operator = f"import {contact_import.pk}"
    if contact_import.created_by is not None:
        operator += f" ({contact_import.created_by.get_username()})"
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="") as report_file:
            report = RejectedReport(report_file, contact_import.headers)
            with contact_import.file.open("rb") as binary:
                shape = inspect(binary, contact_import.size)
                outcome = import_stream(
                    binary,
                    shape,
                    contact_import.mapping,
                    test_mode=contact_import.test_mode,
                    report=report,
                    contact_list_id=contact_import.contact_list_id,
                    operator=operator,
                    on_progress=progress,
                )
            if outcome.rejected:
                report_file.seek(0)
                name = f"{os.path.splitext(contact_import.original_name)[0]}-rejected.csv"
                contact_import.rejected_report.save(name, File(report_file), save=False)
    except Exception as error:
        logger.exception("contact import %s failed", import_id)
        contact_import.status = ContactImport.Status.FAILED
        contact_import.error = (
            str(error)
            if isinstance(error, FileRefused)
            else _(
                "The import stopped on an unexpected error; the rows written so far are kept. "
                "Start it again: rows already imported are not imported twice."
            )
        )
        contact_import.finished = timezone.now()
        contact_import.save(update_fields=["status", "error", "finished"])
        raise
    contact_import.status = ContactImport.Status.DONE
    contact_import.finished = timezone.now()
    _save_outcome(contact_import, outcome, bytes_read=contact_import.size)
    return contact_import


def _save_outcome(contact_import, outcome, *, bytes_read):
    contact_import.bytes_read = bytes_read
    contact_import.rows = outcome.rows
    contact_import.created_count = outcome.created
    contact_import.updated_count = outcome.updated
    contact_import.unchanged_count = outcome.unchanged
    contact_import.rejected_count = outcome.rejected
    contact_import.consent_count = outcome.consents
    contact_import.membership_count = outcome.memberships
    contact_import.unproven_opt_ins = outcome.opt_ins_unproven
    contact_import.reasons = dict(outcome.reasons)
    with transaction.atomic():
        contact_import.save()
