"""Demo figures for the dashboard: two finished campaigns of test data with rates like the field's.

They are written as the engine and the simulator would have left them (messages, receipts,
clicks, STOP replies, orders), not sent through the workers: `make run` sets up its data before
any worker starts, and a few thousand simulated sends would take minutes. Everything is test
data (the simulator's inventions never touch live data), so the dashboard shows it with its
test-data switch on. Drawn from a fixed seed: every install gets the same figures.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from analytics.models import Click, Conversion
from analytics.rollups.apply import refresh
from audience.models import ConsentEntry, Contact, ContactList
from audience.models.contacts import CONSENT_COLUMNS
from campaigns.models import Campaign, CampaignArm, CampaignHoldout
from editor.models import MessageTemplate
from sending.models import Dispatch, Message

# Fixed, so every install shows the same figures; picked among the first few whose draw of a
# 100-contact holdout shows the effect built in (orders after clicks), not a chance reversal.
SEED = 20260303
CHANNEL_TEST = "Soldes d'hiver (démo)"
CONTENT_TEST = "Lancement de la collection (démo)"
NAMES = (CHANNEL_TEST, CONTENT_TEST)
# French mobile numbers of a range the simulator reserves for nothing.
PHONE = "+3376{:07d}"
CTA = "cta_offres01"
WORDING = "Contact de démonstration créé par seed_demo_analytics (consentement fictif)."

# Rates per message, from the field (docs/analytics.md): clicks by people, fallbacks, STOPs.
RATES = {
    "rcs": {"click": 0.15, "fallback": 0.06, "fail": 0.01, "stop": 0.002},
    "sms": {"click": 0.025, "fail": 0.02, "stop": 0.006},
    "a": {"click": 0.12, "fallback": 0.06, "fail": 0.01, "stop": 0.002},
    "b": {"click": 0.17, "fallback": 0.06, "fail": 0.01, "stop": 0.002},
}
# Orders: of the people who clicked, and of everyone (addressed or held out) in the window.
ORDER_AFTER_CLICK = 0.2
ORDER_ANYWAY = 0.01


def exists():
    return Campaign.objects.filter(test_mode=True, name__in=NAMES).exists()


def seed(now=None):
    """Write both demo campaigns unless they exist; returns the number of messages written."""
    if exists():
        return 0
    now = now or timezone.now()
    draw = random.Random(SEED)
    with transaction.atomic():
        contacts = _contacts(3000, now - timedelta(days=60))
        audience, _created = ContactList.objects.get_or_create(
            name="Démo analytics", test_mode=True
        )
        first = _campaign(
            CHANNEL_TEST, "promo_soldes_v1", None, audience, "channel", now - timedelta(days=6)
        )
        second = _campaign(
            CONTENT_TEST,
            "lancement_produit_v1",
            "retour_stock_v1",
            audience,
            "content",
            now - timedelta(days=2),
        )
        ids = _send(first, contacts[:2000], draw, ["rcs", "sms"])
        ids += _send(second, contacts[2000:], draw, ["a", "b"])
    for start in range(0, len(ids), 1000):
        refresh(ids[start : start + 1000])
    return len(ids)


def _contacts(count, opted_in_at):
    """count demo contacts of test data, opted in (a ledger entry each, and its columns)."""
    phones = [PHONE.format(n) for n in range(count)]
    Contact.objects.bulk_create(
        [Contact(phone=phone, test_mode=True, language="fr") for phone in phones],
        ignore_conflicts=True,
    )
    by_phone = dict(
        Contact.objects.filter(test_mode=True, phone__in=phones).values_list("phone", "pk")
    )
    ids = [by_phone[phone] for phone in phones]
    fresh = set(ids) - set(
        ConsentEntry.objects.filter(contact_id__in=ids).values_list("contact_id", flat=True)
    )
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
    return ids


def _version(slug):
    return MessageTemplate.objects.get(slug=slug).current_version


def _campaign(name, slug, slug_b, audience, experiment, launched_at):
    version = _version(slug)
    campaign = Campaign.objects.create(
        name=name,
        test_mode=True,
        template_version=version,
        template_version_b=_version(slug_b) if slug_b else None,
        contact_list=audience,
        experiment=experiment,
        holdout_share=0.05,
        status=Campaign.Status.DONE,
        launched_at=launched_at,
    )
    return campaign


def _send(campaign, contacts, draw, arms):
    """Messages, receipts, clicks, STOPs and orders of a campaign over its contacts."""
    held = contacts[: len(contacts) // 20]
    CampaignHoldout.objects.bulk_create(
        [CampaignHoldout(campaign=campaign, contact_id=pk) for pk in held]
    )
    dispatches = {}
    for arm in arms:
        version = campaign.template_version_b if arm == "b" else campaign.template_version
        dispatches[arm] = Dispatch.objects.create(
            test_mode=True,
            template_version=version,
            policy=Message.Policy.RCS_WITH_FALLBACK,
            traffic_type=version.traffic_type,
            rcs_ttl_seconds=3600,
            provider="simulator",
            status=Dispatch.Status.DONE,
        )
        CampaignArm.objects.create(campaign=campaign, dispatch=dispatches[arm], arm=arm)
    messages, clicks, stops = [], [], []
    start = campaign.launched_at
    for index, contact_id in enumerate(contacts[len(held) :]):
        arm = arms[index % 2]
        rates = RATES[arm]
        at = start + timedelta(minutes=index % 240)
        m = _message(dispatches[arm], contact_id, arm, at, rates, draw)
        messages.append(m)
        if m.status in (Message.Status.DELIVERED, Message.Status.READ):
            if draw.random() < rates["click"]:
                clicks.append((m, at + timedelta(minutes=draw.randint(1, 90))))
            if draw.random() < rates["stop"]:
                stops.append((contact_id, at + timedelta(minutes=draw.randint(5, 600))))
    Message.objects.bulk_create(messages)
    Click.objects.bulk_create(
        [
            Click(
                message=m,
                dispatch=m.dispatch,
                cta_index=0,
                cta_id=CTA,
                channel=m.final_channel,
                kind=Click.Kind.HUMAN,
                agent=Click.Agent.BROWSER,
                is_unique=True,
                occurred_at=at,
                test_mode=True,
            )
            for m, at in clicks
        ]
    )
    for m, at in clicks:
        m.clicked_at = at
    Message.objects.bulk_update([m for m, _at in clicks], ["clicked_at"])
    for contact_id, at in stops:
        # One by one through the ledger: the contact's consent columns follow.
        ConsentEntry.objects.create(
            contact_id=contact_id,
            kind=ConsentEntry.Kind.OPT_OUT,
            source=ConsentEntry.Source.INBOUND_STOP,
            wording="STOP",
            occurred_at=at,
        )
    _orders(campaign, clicks, [m.contact_id for m in messages] + held, draw)
    return [m.pk for m in messages]


def _message(dispatch, contact_id, arm, at, rates, draw):
    intended = "sms" if arm == "sms" else "rcs"
    final = intended
    fallback = ""
    if intended == "rcs" and draw.random() < rates["fallback"]:
        final, fallback = "sms", Message.FallbackReason.NOT_REACHABLE
    status = Message.Status.DELIVERED
    if draw.random() < rates["fail"]:
        status = Message.Status.FAILED
    elif final == "rcs" and draw.random() < 0.7:
        status = Message.Status.READ
    delivered = status != Message.Status.FAILED
    return Message(
        contact_id=contact_id,
        template_version=dispatch.template_version,
        dispatch=dispatch,
        arm=arm,
        traffic_type="PROMOTION",
        intended_channel=intended,
        final_channel=final,
        fallback_reason=fallback,
        status=status,
        status_reason="" if delivered else Message.Reason.REFUSED,
        sent_at=at,
        delivered_at=at + timedelta(seconds=draw.randint(2, 40)) if delivered else None,
        failed_at=None if delivered else at,
        sms_segments=2 if final == "sms" else 0,
        rcs_ttl_seconds=3600,
        provider="simulator",
        test_mode=True,
    )


def _orders(campaign, clicks, everyone, draw):
    """Orders after some clicks (credited to the click), and a few by anyone in the window."""
    rows = []
    for m, clicked_at in clicks:
        if draw.random() < ORDER_AFTER_CLICK:
            at = clicked_at + timedelta(hours=draw.randint(1, 48))
            rows.append((m.contact_id, at, m, clicked_at))
    for contact_id in everyone:
        if draw.random() < ORDER_ANYWAY:
            at = campaign.launched_at + timedelta(hours=draw.randint(1, 96))
            rows.append((contact_id, at, None, None))
    Conversion.objects.bulk_create(
        [
            Conversion(
                order_id=f"DEMO-{campaign.pk}-{number}",
                value=Decimal(draw.randint(1990, 14990)) / 100,
                currency="EUR",
                occurred_at=at,
                test_mode=True,
                matched_by=Conversion.MatchedBy.CLICK_ID if m else Conversion.MatchedBy.PHONE,
                attributed_by=Conversion.AttributedBy.CLICK if m else "",
                contact_id=contact_id,
                message=m,
                dispatch_id=m.dispatch_id if m else None,
                clicked_at=clicked_at,
            )
            for number, (contact_id, at, m, clicked_at) in enumerate(rows)
        ]
    )
