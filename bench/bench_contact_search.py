"""The contacts screen's search at many contacts, on PostgreSQL: the three queries a search makes
(the paginator's count, the counts beside the list, the page of 25) before migration audience
0012 (no trigram index; the page newest first through the created index) and after it (trigram
indexes; the page ordered as audience.contact_forms.SEARCHED_NEWEST_FIRST), both measured in the
same run with EXPLAIN (ANALYZE, BUFFERS): the buffers read, which load does not change, and the
execution time (median of three), which it does.

Run: DATABASE_URL=postgres://…/relais_bench_… .venv/bin/python bench/bench_contact_search.py
     [--rows N]   (100,000 by default; migrate the database first)
Writes test-mode contacts numbered +337 00 00 00 01 upwards, deleted before and after.
"""

import argparse
import contextlib
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from audience.contact_forms import (  # noqa: E402
    NEWEST_FIRST,
    SEARCHED_NEWEST_FIRST,
    ContactFilterForm,
    counts,
)
from tests.support.contacts_sql import build_contacts  # noqa: E402

PREFIX = "+337"
PAGE = 25
SEARCHES = [
    ("a name (one match)", "quennev"),
    ("first and last name", "Margaux Quenneville"),
    ("part of an email", "atelier.exa"),
    ("part of a number (10 matches)", "07 00 05 43 2"),
    ("a common first name (10 %)", "anne"),
    ("a number prefix (10,000 matches)", "07 00 09"),
]
TRIGRAM_INDEXES = [
    "audience_contact_first_name_trgm",
    "audience_contact_last_name_trgm",
    "audience_contact_email_trgm",
    "audience_contact_phone_trgm",
]


def delete_bench_contacts():
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audience_contact WHERE test_mode AND phone LIKE %s", [PREFIX + "0%"]
        )
        # Dead rows of an earlier run would be read by the scans "before", not by the indexes.
        cursor.execute("VACUUM audience_contact")


def screen_queries(text, order):
    """The number of matches, and (sql, params) of each query the contacts screen makes for a
    search of text, as Django sends them."""
    matching = ContactFilterForm({"q": text}, test_mode=True).contacts()
    total = matching.count()
    page = matching.order_by(*order)[: min(total, PAGE) or PAGE]
    return total, [
        sql_of(matching.count),  # the paginator's
        sql_of(lambda: counts(matching)),  # the counts beside the list
        sql_of(lambda: list(page)),
    ]


class _Caught(Exception):
    pass


def sql_of(run):
    """(sql, params) of the first statement run() sends, not run."""
    caught = []

    def catch(execute, sql, params, many, context):
        caught.append((sql, params))
        raise _Caught

    with connection.execute_wrapper(catch), contextlib.suppress(_Caught):
        run()
    return caught[0]


def explain(sql, params):
    """(buffers read, execution ms) of one statement."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    top = re.search(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?", plan)
    buffers = sum(int(n) for n in top.groups() if n) if top else 0
    return buffers, float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)), plan


def measure(text, order):
    total, statements = screen_queries(text, order)
    buffers, times, plans = 0, [], []
    for _ in range(3):
        run = [explain(sql, params) for sql, params in statements]
        times.append(sum(ms for _b, ms, _p in run))
        buffers = sum(b for b, _ms, _p in run)
        plans = [p for _b, _ms, p in run]
    seq = any("Seq Scan on audience_contact" in plan for plan in plans)
    return total, buffers, statistics.median(times), seq


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Needs PostgreSQL, in a database whose name contains 'bench'.")
    delete_bench_contacts()
    try:
        build_contacts(args.rows, test_mode=True, prefix=PREFIX)
        print(f"{args.rows:,} test contacts; three queries a search; buffers and ms summed")
        print("| search | matches | before: buffers, ms | after: buffers, ms | ratio |")
        print("| --- | --- | --- | --- | --- |")
        for label, text in SEARCHES:
            with transaction.atomic():
                # Before: as it was, without the trigram indexes (dropped, then rolled back).
                with connection.cursor() as cursor:
                    for name in TRIGRAM_INDEXES:
                        cursor.execute(f"DROP INDEX {name}")
                total, b_buffers, b_ms, b_seq = measure(text, NEWEST_FIRST)
                transaction.set_rollback(True)
            _total, a_buffers, a_ms, a_seq = measure(text, SEARCHED_NEWEST_FIRST)
            print(
                f"| {label} `{text}` | {total:,} | {b_buffers:,}, {b_ms:.1f}"
                f"{' (seq scan)' if b_seq else ''} | {a_buffers:,}, {a_ms:.1f}"
                f"{' (seq scan)' if a_seq else ''} | {b_buffers / max(a_buffers, 1):.1f}×, "
                f"{b_ms / max(a_ms, 0.001):.1f}× |"
            )
    finally:
        delete_bench_contacts()


if __name__ == "__main__":
    main()
