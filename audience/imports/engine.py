"""Stream a customer file through the row checks and the chunk writer, with progress, writing
every refused row and its reason to a CSV report as it goes: memory stays flat."""

import csv
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from audience.imports.reading import stream_rows
from audience.imports.rows import Rejected, RowReader
from audience.imports.writing import SeenPhones, write_chunk

CHUNK_ROWS = 5_000


@dataclass
class Outcome:
    """What an import did, row by row and in the database."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    consents: int = 0
    memberships: int = 0
    # Opt-ins read in a file with no source or wording column: imported without consent.
    opt_ins_unproven: int = 0
    reasons: Counter = field(default_factory=Counter)

    def as_dict(self):
        return {**vars(self), "reasons": dict(self.reasons)}


class RejectedReport:
    """The refused rows, written as they come: the line, the row's cells, the reason.

    Semicolons and a BOM, so that Excel in France opens it in columns with its accents.
    """

    def __init__(self, stream, headers):
        self.writer = csv.writer(stream, delimiter=";")
        self.writer.writerow([_("line"), *headers, _("reason")])

    def add(self, rejected):
        self.writer.writerow([rejected.line, *rejected.cells, rejected.reason])


def import_stream(
    binary,
    shape,
    mapping,
    *,
    test_mode,
    report,
    contact_list_id=None,
    operator="",
    on_progress=None,
    chunk_rows=CHUNK_ROWS,
):
    """Import the rows of a file opened in binary mode (its FileShape detected) into contacts
    of one mode; returns an Outcome. on_progress(outcome, bytes_read) runs after each chunk."""
    outcome = Outcome()
    reader = RowReader(mapping, now=timezone.now())
    counter, rows = stream_rows(binary, shape)

    def reject(rejected):
        outcome.rejected += 1
        outcome.reasons[rejected.code] += 1
        report.add(rejected)

    def flush(chunk):
        firsts, repeats = seen.split(chunk)
        for row, first_line in repeats:
            reject(
                Rejected(
                    row.line,
                    cells[row.line],
                    "duplicate_in_file",
                    _("Same number as line %(line)d, which was imported.") % {"line": first_line},
                )
            )
        written = write_chunk(
            firsts, test_mode=test_mode, contact_list_id=contact_list_id, operator=operator
        )
        for name in ("created", "updated", "unchanged", "consents", "memberships"):
            setattr(outcome, name, getattr(outcome, name) + getattr(written, name))
        outcome.opt_ins_unproven = reader.opt_ins_unproven
        if on_progress is not None:
            on_progress(outcome, counter.count)

    with SeenPhones() as seen:
        chunk, cells = [], {}
        for line, row_cells in rows:
            outcome.rows += 1
            result = reader.read(line, row_cells)
            if isinstance(result, Rejected):
                reject(result)
                continue
            chunk.append(result)
            # Kept for the report, should the number turn out to repeat an earlier line.
            cells[line] = row_cells
            if len(chunk) >= chunk_rows:
                flush(chunk)
                chunk, cells = [], {}
        flush(chunk)
    return outcome
