"""The campaign review (a channel test; a holdout with --holdout) of N contacts (100,000 by
default) on the configured database, measured in the same run on the same rows, the two ways
taking turns:

- the destination rule alone: every phone through check_destination in Python (before) against
  French mobiles counted in SQL and only the other numbers in Python (after);
- the whole review: a query per figure (before, tests/support/review_reference.py) against
  every figure counted in one pass over the audience, COUNT(*) FILTER (WHERE ...) (after,
  services.review()).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_review.py [--contacts N]
(migrate the database first). Everything it writes is rolled back at the end.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from audience.models import Consent, Contact, ContactList, ListMembership  # noqa: E402
from campaigns import services  # noqa: E402
from campaigns.services.destinations import (  # noqa: E402
    check_destinations,
    check_other_destinations,
)
from editor.models import Brand, MessageTemplate  # noqa: E402
from editor.services import publish_template  # noqa: E402
from tests.support.review_reference import review_by_queries  # noqa: E402

CHUNK = 10_000


class Rollback(Exception):
    pass


def every_phone_in_python(contacts):
    """Before: check_destination on every number, in one pass over (id, phone): what
    check_destinations still does for the numbers SQL does not type, here for all of them."""
    return check_other_destinations(contacts)


def phone(index):
    """97 % French mobiles, 2 % Paris landlines, 1 % Guadeloupe mobiles."""
    if index % 100 < 2:
        return f"+3314{index:07d}"
    if index % 100 == 2:
        return f"+590690{index:06d}"
    return f"+3376{index:07d}"


def consent(index):
    if index % 100 in (50, 51):
        return Consent.OPT_OUT
    return Consent.NONE if index % 100 == 52 else Consent.OPT_IN


def make_audience(count, holdout):
    now = timezone.now()
    audience = ContactList.objects.create(name="Bench review", test_mode=True)
    for start in range(0, count, CHUNK):
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    phone=phone(index),
                    test_mode=True,
                    first_name="" if index % 10 == 4 else "Anne",
                    # 2 % opted out, 1 % never opted in.
                    sms_consent=consent(index),
                    sms_consent_at=now,
                    rcs_consent=Consent.OPT_IN if index % 3 else Consent.NONE,
                    # 85 % answered RCS-capable this week, 10 % not capable.
                    rcs_capable=index % 20 < 17 if index % 20 < 19 else None,
                    rcs_checked_at=now if index % 20 < 19 else None,
                )
                for index in range(start, min(count, start + CHUNK))
            ]
        )
        ListMembership.objects.bulk_create(
            [ListMembership(contact=c, contact_list=audience) for c in contacts]
        )
    brand = Brand.objects.create(
        name="Bench", verified=True, sms_sender_id="BENCH", stop_mention="STOP au 36111"
    )
    template = MessageTemplate.objects.create(
        name="Bench",
        slug="bench_review",
        brand=brand,
        category=MessageTemplate.Category.PROMOTION,
        traffic_type=MessageTemplate.TrafficType.PROMOTION,
        rcs_content={"text": "Bonjour {{ prenom }}"},
        sms_fallback="Bonjour {{ prenom }}",
        variables=[{"name": "prenom", "default": None, "sample": "Marie"}],
        language=MessageTemplate.Language.FR,
    )
    return services.create_campaign(
        name="Bench review",
        test_mode=True,
        template_version=publish_template(template, None),
        contact_list=audience,
        variables={"prenom": {"field": "first_name", "default": "client"}},
        experiment="channel",
        experiment_share=0.5,
        holdout_share=holdout,
    )


def best_of_alternating(runs, before, after):
    """Best time and last result of each function, run in turns (before, after, before...) so
    that a noisy neighbour slows both alike."""
    times, results = ([], []), [None, None]
    for _ in range(runs):
        for index, function in enumerate((before, after)):
            start = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - start)
    return min(times[0]), results[0], min(times[1]), results[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    # With a holdout, the query-per-figure review nests the draw in NOT IN subqueries that
    # PostgreSQL runs once per row: minutes for a few thousand contacts.
    parser.add_argument("--holdout", type=float, default=0.0)
    args = parser.parse_args()
    print(
        f"database: {connection.vendor}, {args.contacts:,} contacts, "
        f"best of {args.runs} (taking turns)"
    )
    try:
        with transaction.atomic():
            campaign = make_audience(args.contacts, args.holdout)
            contacts = services.audience_contacts(campaign)
            step_before, counted_before, step_after, counted_after = best_of_alternating(
                args.runs,
                lambda: every_phone_in_python(contacts),
                lambda: check_destinations(contacts),
            )
            assert counted_before.refused == counted_after.refused
            assert counted_before.countries == counted_after.countries
            now = timezone.now()
            whole_before, report_before, whole_after, report_after = best_of_alternating(
                args.runs,
                lambda: review_by_queries(campaign, now),
                lambda: services.review(campaign, now),
            )
            assert report_before == report_after
            print(f"eligible {report_after.eligible:,}, excluded {report_after.excluded}")
            print(
                f"destination step: Python {step_before:.2f} s, SQL {step_after:.2f} s "
                f"({step_before / step_after:.1f}x faster)"
            )
            print(
                f"whole review():   query per figure {whole_before:.2f} s, "
                f"one pass {whole_after:.2f} s ({whole_before / whole_after:.1f}x faster)"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
