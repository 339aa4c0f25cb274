"""The demo campaigns of a fresh install: a demo audience of test contacts, and two campaigns
made and launched with the campaign services, which the workers then send through the simulator.

- "Soldes d'hiver (démo)": a channel test (RCS against SMS among the contacts a capability
  audit found RCS capable) on 2,000 contacts, 5 % held out, a first share of 10 % that
  continues automatically after a minute when its failure and opt-out rates are fine.
- "Lancement de la collection (démo)": a content test (A against B) on 1,000 other contacts,
  5 % held out.

Launching is all this does: the dispatches' batches wait in Redis for the workers `make run`
starts next, the simulator's receipts come back through the webhook, and the people behind the
demo numbers click, order and reply STOP through the real entry points (integrations/demo.py).
Everything is test data. The campaigns' seeds are fixed, so the holdout and the arms are drawn
the same way on every fresh install.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from audience import audit
from audience.destinations import destination_country
from audience.models import CONSENT_COLUMNS, ConsentEntry, Contact, ListMembership
from audience.services import add_to_list, get_or_create_list
from campaigns.models import Campaign
from campaigns.services import create_campaign, launch
from editor.models import MessageTemplate
from messaging.providers.simulation import demo_number
from sending.services import quiet_hours

CHANNEL_TEST = "Soldes d'hiver (démo)"
CONTENT_TEST = "Lancement de la collection (démo)"
NAMES = (CHANNEL_TEST, CONTENT_TEST)
CHANNEL_AUDIENCE = 2000
CONTENT_AUDIENCE = 1000
# The RCS deadline: an RCS message the phone has not taken within a minute falls back to SMS,
# so the TTL fallbacks show within the demo's first minutes.
RCS_TTL_SECONDS = 60
WORDING = "Contact de démonstration créé par seed_demo (consentement fictif)."
FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Emma",
    "Lucas",
    "Hugo",
    "Louis",
    "Nathan",
    "Gabriel",
    "Arthur",
    "Jules",
    "Théo",
)


@dataclass(frozen=True)
class Seeded:
    """What seed() did: the campaigns launched (none when they existed), and when quiet hours
    hold their promotions back, the moment they open (UTC), else None."""

    campaigns: list
    waits_until: datetime | None = None


def exists():
    return Campaign.objects.filter(test_mode=True, name__in=NAMES).exists()


def seed(now=None):
    """Make the demo audience and launch both demo campaigns, unless they exist."""
    if exists():
        return Seeded([])
    now = now or timezone.now()
    with transaction.atomic():
        phones = [demo_number(n) for n in range(CHANNEL_AUDIENCE + CONTENT_AUDIENCE)]
        contacts = _contacts(phones, now - timedelta(days=60))
        sales = _list("Démo : soldes d'hiver", contacts[:CHANNEL_AUDIENCE])
        launch_list = _list("Démo : lancement de la collection", contacts[CHANNEL_AUDIENCE:])
    # A channel test compares RCS and SMS among the contacts known RCS capable: the marketer
    # audits the list first. The simulator answers at once, so it runs here, not in a job.
    audit.run_audit(audit.start_audit(contact_list=sales).pk)
    with transaction.atomic():
        channel = _campaign(
            name=CHANNEL_TEST,
            template_version=_version("promo_soldes_v1"),
            contact_list=sales,
            variables={
                "prenom": {"field": "first_name", "default": "client"},
                "duree_offre": {"value": "48h"},
            },
            experiment=Campaign.Experiment.CHANNEL,
            rollout_share=0.1,
            rollout_mode=Campaign.RolloutMode.AUTO,
            rollout_wait_minutes=1,
            # The people reply STOP at 0.3–0.6 %: a few in a first share of ~190 may pass the
            # default 1 % by chance, and a demo stopped for that would show nothing.
            max_opt_out_rate=0.05,
        )
        content = _campaign(
            name=CONTENT_TEST,
            template_version=_version("lancement_produit_v1"),
            template_version_b=_version("retour_stock_v1"),
            contact_list=launch_list,
            variables={
                "prenom": {"field": "first_name", "default": "client"},
                "produit": {"value": "Le cardigan Lina"},
                "ref_produit": {"value": "cardigan-lina"},
            },
            experiment=Campaign.Experiment.CONTENT,
        )
        launched = [launch(channel, now), launch(content, now)]
    opens = quiet_hours.next_open(destination_country(phones[0]), now)
    return Seeded(launched, opens if opens > now else None)


def _campaign(name, **fields):
    campaign = create_campaign(
        name=name,
        test_mode=True,
        holdout_share=0.05,
        rcs_ttl_seconds=RCS_TTL_SECONDS,
        **fields,
    )
    # A fixed seed: the holdout and the arms are the same on every fresh install.
    campaign.seed = f"demo-{NAMES.index(name)}"
    campaign.save(update_fields=["seed"])
    return campaign


def _version(slug):
    return MessageTemplate.objects.get(slug=slug).current_version


def _list(name, contacts):
    contact_list, _created = get_or_create_list(name, test_mode=True)
    add_to_list(contact_list, contacts, source=ListMembership.Source.ADMIN)
    return contact_list


def _contacts(phones, opted_in_at):
    """The demo contacts of phones (test data, first names), each opted in by a ledger entry."""
    Contact.objects.bulk_create(
        [
            Contact(
                phone=phone,
                test_mode=True,
                language="fr",
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            )
            for index, phone in enumerate(phones)
        ],
        ignore_conflicts=True,
    )
    by_phone = dict(
        Contact.objects.filter(test_mode=True, phone__in=phones).values_list("phone", "pk")
    )
    ids = [by_phone[phone] for phone in phones]
    fresh = set(ids) - set(
        ConsentEntry.objects.filter(contact_id__in=ids).values_list("contact_id", flat=True)
    )
    # Written in bulk (3,000 at once at every fresh start), so the consent columns the ledger's
    # save() would keep are set here, from the same entries.
    ConsentEntry.objects.bulk_create(
        [
            ConsentEntry(
                contact_id=pk,
                kind=ConsentEntry.Kind.OPT_IN,
                source=ConsentEntry.Source.ADMIN,
                wording=WORDING,
                occurred_at=opted_in_at,
            )
            for pk in sorted(fresh)
        ]
    )
    columns = {"consent_updated": opted_in_at}
    for value_column, at_column in CONSENT_COLUMNS.values():
        columns[value_column] = ConsentEntry.Kind.OPT_IN
        columns[at_column] = opted_in_at
    Contact.objects.filter(pk__in=fresh).update(**columns)
    by_phone = {contact.phone: contact for contact in Contact.objects.filter(pk__in=ids)}
    return [by_phone[phone] for phone in phones]
