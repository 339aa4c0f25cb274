"""Demo data for a fresh install: the published template library, opted-in demo recipients and
their list (the campaigns example of docs/api.md sends to it), then the demo campaigns
(campaigns/demo.py): 3,000 demo contacts and two campaigns launched for the workers to send.

The demo API key is a test key, so all of it is test data: its sends find the opt-ins.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from audience.models import ConsentEntry, ListMembership
from audience.services import (
    add_to_list,
    get_or_create_contact,
    get_or_create_list,
    record_consent,
)
from campaigns import demo
from messaging.providers.simulation import RESERVED_NUMBERS

# The number of the API docs' example request, then the simulator's reserved test numbers.
DEMO_RECIPIENTS = ("+33612345678", *RESERVED_NUMBERS)
DEMO_WORDING = "Contact de démonstration créé par seed_demo (consentement fictif)."
DEMO_LIST = "Démo"


class Command(BaseCommand):
    help = (
        "Load the demo data: the Maison Relais brand with every library template published "
        '(promo_soldes_v1...) and opted-in demo contacts on the list "Démo", as test data for '
        "the demo test key, so the docs' examples work; then 3,000 demo contacts and two demo "
        "campaigns (a channel test with a rollout, a content test with a holdout), launched: "
        "the RQ workers send them through the simulator. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        call_command("seed_templates", verbosity=options["verbosity"])
        created = 0
        with transaction.atomic():
            demo_list, _created = get_or_create_list(DEMO_LIST, test_mode=True)
            contacts = []
            for phone in DEMO_RECIPIENTS:
                contact = get_or_create_contact(phone, test_mode=True)
                contacts.append(contact)
                if not contact.consent_entries.exists():
                    record_consent(
                        contact,
                        ConsentEntry.Kind.OPT_IN,
                        test_mode=True,
                        source=ConsentEntry.Source.ADMIN,
                        wording=DEMO_WORDING,
                    )
                    created += 1
            add_to_list(demo_list, contacts, source=ListMembership.Source.ADMIN)
        if created and options["verbosity"] >= 1:
            self.stdout.write(f"Opted in {created} demo contacts.")
        seeded = demo.seed()
        if seeded.campaigns and options["verbosity"] >= 1:
            names = ", ".join(f"“{campaign.name}”" for campaign in seeded.campaigns)
            self.stdout.write(
                f"Launched the demo campaigns {names} (test data): the RQ workers send them "
                "through the simulator, and the dashboard fills within a few minutes."
            )
        # Said even at verbosity 0 (make run's): an empty dashboard would otherwise puzzle.
        if seeded.waits_until is not None:
            self.stdout.write(
                self.style.WARNING(
                    "The demo campaigns are promotions and quiet hours are on: they wait until "
                    f"{seeded.waits_until:%Y-%m-%d %H:%M} UTC (QUIET_HOURS_POLICY=none sends "
                    "them at any hour)."
                )
            )
