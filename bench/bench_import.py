"""The contact import on the configured database (DATABASE_URL; SQLite by default): rows per
second through the whole engine (decoding, row checks, phone normalisation, upsert, ledger, list)
against a bare bulk load of the same rows into a scratch table measured in the same run (COPY
on PostgreSQL, executemany on SQLite), and the peak memory of the process.

Run: .venv/bin/python bench/bench_import.py [--rows N] [--quick]   (migrate the database first)
Writes test-mode contacts with numbers 07 50 00 00 00 to 07 5x xx xx xx, deleted before and after.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from audience.imports import mapping as columns  # noqa: E402
from audience.imports.engine import RejectedReport, import_stream  # noqa: E402
from audience.imports.reading import inspect  # noqa: E402
from audience.services import get_or_create_list  # noqa: E402

HEADER = ["Téléphone", "Prénom", "Nom", "Ville", "Consentement", "Source", "Mention"]
FIRST = ["Anne", "Bruno", "Chloé", "Denis", "Élodie", "François", "Hélène", "Inès"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard"]
CITIES = ["Paris", "Lyon", "Marseille", "Besançon", "Nantes", "Lille", "Nîmes"]
WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."
PREFIX = "+3375"


def write_file(path, rows):
    """A Windows-1252, semicolon file as Excel writes it: national numbers in various forms,
    a third of the rows with an opt-in, 1 % invalid numbers and 1 % repeated numbers."""
    pick = random.Random(7)
    with open(path, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for index in range(rows):
            digits = f"{50000000 + index:08d}"
            national = "07" + digits
            phone = pick.choice(
                [
                    national,
                    " ".join(national[i : i + 2] for i in range(0, 10, 2)),
                    f"+33{national[1:]}",
                    f"0033{national[1:]}",
                ]
            )
            if index % 100 == 37:
                phone = "12345"
            elif index % 100 == 73 and index > 100:
                phone = f"07{50000000 + index - 50:08d}"
            opted = index % 3 == 0
            writer.writerow(
                [
                    phone,
                    pick.choice(FIRST),
                    pick.choice(LAST),
                    pick.choice(CITIES),
                    "oui" if opted else "",
                    "Formulaire boutique" if opted else "",
                    WORDING if opted else "",
                ]
            )


def delete_bench_contacts():
    with connection.cursor() as cursor:
        ids = f"SELECT id FROM audience_contact WHERE test_mode AND phone LIKE '{PREFIX}%%'"
        if connection.vendor == "sqlite":
            ids = ids.replace("%%", "%")
        cursor.execute(f"DELETE FROM audience_consententry WHERE contact_id IN ({ids})")
        cursor.execute(f"DELETE FROM audience_listmembership WHERE contact_id IN ({ids})")
        cursor.execute(ids.replace("SELECT id FROM", "DELETE FROM"))


def baseline(path):
    """Seconds for a bare bulk load of the file's rows into a scratch table."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_scratch (phone text, first text, last text, city text, "
            "consent text, source text, wording text)"
        )
        if connection.vendor == "postgresql":
            with (
                open(path, "rb") as binary,
                cursor.copy(
                    "COPY bench_scratch FROM STDIN "
                    "(FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'WIN1252')"
                ) as copy,
            ):
                while block := binary.read(1 << 20):
                    copy.write(block)
        else:
            with open(path, encoding="cp1252", newline="") as text:
                rows = csv.reader(text, delimiter=";")
                next(rows)
                cursor.executemany("INSERT INTO bench_scratch VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        cursor.execute("DROP TABLE bench_scratch")
    return time.perf_counter() - start


def import_file(path, report_path, contact_list_id):
    """(seconds, Outcome) of one import of the file through the engine into test contacts on
    the list, the rejected rows reported to report_path."""
    with open(path, "rb") as binary, open(report_path, "w") as report_file:
        shape = inspect(binary, path.stat().st_size)
        mapping = columns.guess(shape.headers, shape.preview)
        start = time.perf_counter()
        outcome = import_stream(
            binary,
            shape,
            mapping,
            test_mode=True,
            report=RejectedReport(report_file, shape.headers),
            contact_list_id=contact_list_id,
            operator="bench",
        )
    return time.perf_counter() - start, outcome


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    options = parser.parse_args()
    rows = 100_000 if options.quick else options.rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        write_file(path, rows)
        size_mb = path.stat().st_size / 1e6
        delete_bench_contacts()
        bench_list, _created = get_or_create_list("bench import", test_mode=True)
        raw_seconds = baseline(path)
        before = peak_mb()
        seconds, outcome = import_file(path, Path(folder) / "rejected.csv", bench_list.pk)
        after = peak_mb()
        delete_bench_contacts()
        bench_list.delete()
    print(f"database: {connection.vendor}; {rows:,} rows, {size_mb:.0f} MB (Windows-1252, ';')")
    print(
        f"imported: {outcome.created:,} created, {outcome.rejected:,} rejected "
        f"({dict(outcome.reasons)}), {outcome.consents:,} consents, "
        f"{outcome.memberships:,} on the list"
    )
    print(f"import engine:   {rows / seconds:10,.0f} rows/s ({seconds:.1f} s)")
    print(f"bare bulk load:  {rows / raw_seconds:10,.0f} rows/s ({raw_seconds:.1f} s)")
    print(f"the engine takes {seconds / raw_seconds:.1f}x the bare load's time")
    print(f"peak memory: {before:.0f} MB before the import, {after:.0f} MB after")


if __name__ == "__main__":
    main()
