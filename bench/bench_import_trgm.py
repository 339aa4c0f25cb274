"""What the contact search's trigram indexes (migration audience 0012) cost contact writes, on
PostgreSQL: N contacts imported through the import engine (audience.imports.engine, what the CSV
import runs), then the same file again with every name and email changed (every contact updated),
then a few thousand contacts one at a time through upsert_contact (the API's way; the shops'
get_or_create_contact also writes one row a transaction). Each is run with the indexes as the
migration leaves them, without them (the baseline: dropped for the run), and with the other GIN
settings one could choose (fastupdate off; a 32 MB pending list), alternating, three times by
default.

A GIN index with fastupdate (PostgreSQL's default) puts new entries in a pending list and merges
it into the index when it passes gin_pending_list_limit (4 MB by default), in whichever write
passes it; what is left after a run is merged later by autovacuum, and read whole by every search
meanwhile. So each run is followed by gin_clean_pending_list, timed apart: that is work deferred,
not saved.

Run: DATABASE_URL=postgres://…/relais_bench_… .venv/bin/python bench/bench_import_trgm.py
     [--rows N] [--quick] [--single N] [--repeat N]   (migrate the database first)
Writes test-mode contacts numbered +33 7 60 00 00 00 upwards, deleted before and after; the
indexes are put back as the migration made them at the end, whatever happens.
"""

import argparse
import csv
import importlib
import os
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench_import import import_file  # noqa: E402
from django.db import connection  # noqa: E402

from audience.services import get_or_create_list, upsert_contact  # noqa: E402

INDEXES = importlib.import_module("audience.migrations.0012_contact_search_trigram").INDEXES
PREFIX = "+33760"
HEADER = ["Téléphone", "Prénom", "Nom", "Email", "Consentement", "Source", "Mention"]
FIRST = ["Anne", "Bruno", "Chloé", "Denis", "Élodie", "François", "Hélène", "Inès", "Jules"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux"]
DOMAINS = ["exemple.fr", "boutique.example", "courriel.example", "maison.example"]
WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."
# What each variant does to the four indexes before its runs.
VARIANTS = {
    "without": None,
    "as migrated": "RESET (fastupdate, gin_pending_list_limit)",
    "fastupdate off": "SET (fastupdate = off)",
    "32 MB pending": "SET (fastupdate = on, gin_pending_list_limit = 32768)",
}
BASELINE = "without"


def contact_row(index, edition):
    """One line of the file: edition 1 creates the contact, edition 2 changes its first name,
    last name and email (so the re-import updates every contact and every indexed value)."""
    first = FIRST[(index + edition) % len(FIRST)]
    last = LAST[(index // len(FIRST) + edition) % len(LAST)]
    local = unicodedata.normalize("NFKD", f"{first[0]}.{last}").encode("ascii", "ignore").lower()
    email = f"{local.decode()}{index}.{edition}@{DOMAINS[index % len(DOMAINS)]}"
    opted = index % 3 == 0 and edition == 1
    return [
        f"07 60 {index // 10000 % 100:02d} {index // 100 % 100:02d} {index % 100:02d}"
        if index % 2
        else f"+3376{index:07d}",
        first,
        f"{last}-{index % 997}",
        email,
        "oui" if opted else "",
        "Formulaire boutique" if opted else "",
        WORDING if opted else "",
    ]


def write_file(path, rows, edition):
    with open(path, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(contact_row(index, edition) for index in range(rows))


def delete_bench_contacts():
    ids = "SELECT id FROM audience_contact WHERE test_mode AND phone LIKE %s"
    with connection.cursor() as cursor:
        for table in ("audience_consententry", "audience_listmembership"):
            cursor.execute(f"DELETE FROM {table} WHERE contact_id IN ({ids})", [PREFIX + "%"])
        cursor.execute(ids.replace("SELECT id FROM", "DELETE FROM"), [PREFIX + "%"])
        cursor.execute("DELETE FROM audience_contactlist WHERE name = 'bench trigram import'")
        # Dead rows and index entries of the last run would weigh on the next one.
        cursor.execute("VACUUM audience_contact")


def set_indexes(variant):
    """The four trigram indexes as variant has them (None: dropped), built anew: an index
    file keeps the pages an earlier run emptied, which would count in its size."""
    with connection.cursor() as cursor:
        for name, expression in INDEXES.items():
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
            if VARIANTS[variant] is None:
                continue
            cursor.execute(f"CREATE INDEX {name} ON audience_contact USING gin ({expression})")
            cursor.execute(f"ALTER INDEX {name} {VARIANTS[variant]}")


def flush_pending():
    """Seconds to merge what the indexes' pending lists still hold (autovacuum's work)."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index "
            "WHERE indrelid = 'audience_contact'::regclass AND indexrelid::regclass::text "
            "LIKE '%%_trgm'"
        )
    return time.perf_counter() - start


def index_sizes():
    """{index name: bytes} of the contact table's indexes, and the table's own size (the
    b-tree indexes' files keep the pages emptied by earlier runs: only the trigram ones, built
    anew for each run, are printed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
            "WHERE indrelid = 'audience_contact'::regclass"
        )
        sizes = dict(cursor.fetchall())
        cursor.execute("SELECT pg_relation_size('audience_contact')")
        sizes["(table)"] = cursor.fetchone()[0]
    return sizes


def upsert_one_by_one(count, edition):
    """Seconds to upsert count contacts one call each, as the API does."""
    start = time.perf_counter()
    for index in range(count):
        _phone, first, last, email, *_consent = contact_row(index, edition)
        upsert_contact(
            f"+3376{index:07d}",
            test_mode=True,
            fields={"first_name": first, "last_name": last, "email": email},
        )
    return time.perf_counter() - start


def run(variant, files, folder, single):
    """{step: (seconds, seconds of pending-list merge after it)} for one variant, and the sizes
    of the indexes after the first import."""
    delete_bench_contacts()
    set_indexes(variant)
    flush_pending()
    steps, outcomes = {}, {}
    for step, path in files.items():
        bench_list, _created = get_or_create_list("bench trigram import", test_mode=True)
        seconds, outcomes[step] = import_file(path, folder / "rejected.csv", bench_list.pk)
        steps[step] = (seconds, flush_pending())
        if step == "import":
            sizes = index_sizes()
    delete_bench_contacts()
    for step, edition in (("one by one, new", 1), ("one by one, changed", 2)):
        seconds = upsert_one_by_one(single, edition)
        steps[step] = (seconds, flush_pending())
    return steps, sizes, outcomes


def spread(values):
    return f"{min(values):,.0f}–{max(values):,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 1,000 one by one")
    parser.add_argument("--single", type=int, default=3_000, help="contacts upserted one by one")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    args = parser.parse_args()
    rows, single = (20_000, 1_000) if args.quick else (args.rows, args.single)
    variants = [BASELINE] + [name for name in args.variants if name != BASELINE]
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Needs PostgreSQL, in a database whose name contains 'bench'.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audience_contact")
        others = cursor.fetchone()[0]
    times = {variant: {} for variant in variants}
    sizes = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = {"import": folder / "new.csv", "re-import, all changed": folder / "changed.csv"}
        for edition, path in enumerate(files.values(), start=1):
            write_file(path, rows, edition)
        try:
            for repeat in range(args.repeat):
                # Each round in another order, so a burst of load falls on different variants.
                order = variants[repeat % len(variants) :] + variants[: repeat % len(variants)]
                for variant in order:
                    steps, sizes[variant], outcomes = run(variant, files, folder, single)
                    for step, seconds in steps.items():
                        times[variant].setdefault(step, []).append(seconds)
                    print(
                        f"round {repeat + 1}, {variant}: "
                        + ", ".join(
                            f"{step} {s:.1f} s + {flush:.1f} s"
                            for step, (s, flush) in steps.items()
                        ),
                        flush=True,
                    )
        finally:
            delete_bench_contacts()
            set_indexes("as migrated")
    counts = {
        step: f"{o.created:,} created, {o.updated:,} updated, {o.rejected:,} rejected"
        for step, o in outcomes.items()
    }
    print(f"\n{rows:,} rows a file ({counts}); {single:,} one by one; {others:,} other contacts")
    print(f"median of {args.repeat} (spread): rows/s, then time ÷ time without the indexes")
    print("(+ merge: the pending-list merge after the step, timed apart and added for the ratio)")
    print("| step | " + " | ".join(variants) + " |")
    print("| --- " * (len(variants) + 1) + "|")
    for step in times[BASELINE]:
        size = rows if step in files else single
        cells = []
        base = statistics.median(s + f for s, f in times[BASELINE][step])
        for variant in variants:
            measured = times[variant][step]
            rates = [size / s for s, _f in measured]
            total = statistics.median(s + f for s, f in measured)
            merge = statistics.median(f for _s, f in measured)
            cells.append(
                f"{statistics.median(rates):,.0f} ({spread(rates)}) + merge {merge:.1f} s, "
                f"{total / base:.2f}×"
            )
        print(f"| {step} | " + " | ".join(cells) + " |")
    print("\nsizes after the first import, MB:")
    for variant in variants:
        trigram = {n: b for n, b in sizes[variant].items() if n.endswith("_trgm")}
        print(
            f"  {variant}: table {sizes[variant]['(table)'] / 1e6:.1f}, trigram indexes "
            f"{sum(trigram.values()) / 1e6:.1f} ("
            + ", ".join(f"{n.split('_')[2]} {b / 1e6:.1f}" for n, b in sorted(trigram.items()))
            + ")"
        )


if __name__ == "__main__":
    main()
