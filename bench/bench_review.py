"""The campaign review of N contacts (100,000 by default) on the configured database: the
destination rule with every phone through check_destination in Python (before) against French
mobiles counted in SQL and only the other numbers in Python (after), measured in the same run on
the same rows, each as the whole review() and as the destination step alone.

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

from audience.destinations import check_destination, destination_country  # noqa: E402
from audience.models import Consent, Contact, ContactList, ListMembership  # noqa: E402
from campaigns import services  # noqa: E402
from campaigns.services import review as review_module  # noqa: E402
from campaigns.services.destinations import DestinationCounts, check_destinations  # noqa: E402
from editor.models import Brand, MessageTemplate  # noqa: E402
from editor.services import publish_template  # noqa: E402

CHUNK = 10_000


class Rollback(Exception):
    pass


def every_phone_in_python(contacts):
    """Before: check_destination on every number, in one pass over (id, phone)."""
    counts = DestinationCounts()
    for pk, phone in contacts.values_list("pk", "phone").iterator(chunk_size=5000):
        refusal = check_destination(phone)
        if refusal is not None:
            counts.refused_ids.append(pk)
            counts.refused[refusal.code] += 1
        else:
            counts.countries.add(destination_country(phone))
    return counts


def phone(index):
    """97 % French mobiles, 2 % Paris landlines, 1 % Guadeloupe mobiles."""
    if index % 100 < 2:
        return f"+3314{index:07d}"
    if index % 100 == 2:
        return f"+590690{index:06d}"
    return f"+3376{index:07d}"


def make_audience(count):
    now = timezone.now()
    audience = ContactList.objects.create(name="Bench review", test_mode=True)
    for start in range(0, count, CHUNK):
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    phone=phone(index),
                    test_mode=True,
                    first_name="Anne",
                    sms_consent=Consent.OPT_IN,
                    sms_consent_at=now,
                    rcs_consent=Consent.OPT_IN if index % 3 else Consent.NONE,
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
    )


def best_of(runs, function):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"database: {connection.vendor}, {args.contacts:,} contacts, best of {args.runs}")
    try:
        with transaction.atomic():
            campaign = make_audience(args.contacts)
            contacts = services.audience_contacts(campaign)
            step_before, counted_before = best_of(
                args.runs, lambda: every_phone_in_python(contacts)
            )
            step_after, counted_after = best_of(args.runs, lambda: check_destinations(contacts))
            assert counted_before.refused == counted_after.refused
            assert counted_before.countries == counted_after.countries
            review_module.check_destinations = every_phone_in_python
            whole_before, report_before = best_of(args.runs, lambda: services.review(campaign))
            review_module.check_destinations = check_destinations
            whole_after, report_after = best_of(args.runs, lambda: services.review(campaign))
            assert report_before.eligible == report_after.eligible
            assert report_before.excluded == report_after.excluded
            print(f"eligible {report_after.eligible:,}, excluded {report_after.excluded}")
            print(
                f"destination step: before {step_before:.2f} s, after {step_after:.2f} s "
                f"({step_before / step_after:.1f}x faster)"
            )
            print(
                f"whole review():   before {whole_before:.2f} s, after {whole_after:.2f} s "
                f"({whole_before / whole_after:.1f}x faster)"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
