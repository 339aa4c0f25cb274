"""Who a campaign reaches: its audience, its holdout, and the arms the rest is split into."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from audience.models import CAPABILITY_MAX_AGE, Contact
from campaigns.models import Campaign, CampaignArm, CampaignHoldout
from campaigns.services.draws import below, draw_condition, draw_seed
from sending.models import Message

Arm = CampaignArm.Arm
HOLDOUT_CHUNK = 5000
SMS_ONLY = Message.Policy.SMS_ONLY


@dataclass(frozen=True)
class PlannedArm:
    """One dispatch to create: its arm, template version, policy and contacts (a queryset)."""

    arm: str
    version: object
    policy: str
    contacts: object


def audience_contacts(campaign):
    """The contacts of the campaign's list or segment, in the campaign's mode (lazy)."""
    if campaign.segment_id:
        contacts = campaign.segment.contacts()
    else:
        contacts = Contact.objects.filter(lists=campaign.contact_list_id)
    return contacts.in_mode(campaign.test_mode).order_by()


def holdout_draw(campaign, contacts):
    """The contacts of `contacts` the holdout draw takes (none without a holdout)."""
    if not campaign.holdout_share:
        return contacts.none()
    return below(contacts, draw_seed(campaign, "holdout"), campaign.holdout_share)


def holdout_condition(campaign, contacts):
    """holdout_draw() as a condition on the contacts of `contacts` (NOBODY without a holdout)."""
    return draw_condition(contacts, draw_seed(campaign, "holdout"), campaign.holdout_share or 0)


def record_holdout(campaign, contacts):
    """Write the holdout drawn from `contacts` (idempotent); return the contacts left to send."""
    if campaign.holdout_share and connection.vendor == "postgresql":
        _insert_holdout(campaign, holdout_draw(campaign, contacts))
    elif campaign.holdout_share:
        ids = holdout_draw(campaign, contacts).values_list("pk", flat=True)
        chunk = []
        for pk in ids.iterator(chunk_size=HOLDOUT_CHUNK):
            chunk.append(CampaignHoldout(campaign=campaign, contact_id=pk))
            if len(chunk) >= HOLDOUT_CHUNK:
                CampaignHoldout.objects.bulk_create(chunk, ignore_conflicts=True)
                chunk = []
        CampaignHoldout.objects.bulk_create(chunk, ignore_conflicts=True)
    return without_holdout(campaign, contacts)


def _insert_holdout(campaign, drawn):
    """PostgreSQL: the whole holdout in one INSERT ... SELECT (no ids through Python)."""
    sql, params = drawn.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {CampaignHoldout._meta.db_table} (campaign_id, contact_id, created)
            SELECT %s, c.id, now() FROM audience_contact c WHERE c.id IN ({sql})
            ON CONFLICT (campaign_id, contact_id) DO NOTHING
            """,
            [campaign.pk, *params],
        )


def without_holdout(campaign, contacts):
    if not campaign.holdout_share:
        return contacts
    return contacts.exclude(
        pk__in=CampaignHoldout.objects.filter(campaign=campaign).values("contact_id")
    )


def plan_arms(campaign, contacts, now=None):
    """The dispatches a campaign sends through, each with its share of `contacts`.

    No experiment: one dispatch. Channel test: among the contacts known RCS-capable, a
    reproducible `experiment_share` goes to the RCS arm (the campaign's policy), the others
    to the SMS arm (SMS only); contacts not known capable are outside the test and get the
    campaign's policy. Content test: `experiment_share` gets version B, the rest version A;
    with the winner rule only `winner_test_share` of the audience is in the test, and the
    others are the arm `rest` (version None until the winner is known).
    """
    return [
        PlannedArm(arm, version, policy, contacts.filter(condition))
        for arm, version, policy, condition in arm_conditions(campaign, contacts, now)
    ]


def arm_conditions(campaign, contacts, now=None):
    """plan_arms() as (arm, version, policy, condition on the contacts of `contacts`): the
    review counts every arm in one pass over the audience with them."""
    version = campaign.template_version
    experiment = campaign.experiment
    share = campaign.experiment_share
    seed = draw_seed(campaign, "arm")
    if experiment == Campaign.Experiment.CHANNEL:
        since = (now or timezone.now()) - CAPABILITY_MAX_AGE
        capable = Q(rcs_capable=True, rcs_checked_at__gte=since)
        return [
            (Arm.RCS, version, campaign.policy, capable & draw_condition(contacts, seed, share)),
            (
                Arm.SMS,
                version,
                SMS_ONLY,
                capable & draw_condition(contacts, seed, share, inside=False),
            ),
            (Arm.OUTSIDE, version, campaign.policy, ~capable),
        ]
    if experiment == Campaign.Experiment.CONTENT:
        version_b = campaign.template_version_b
        in_test, rest = Q(), None
        if campaign.has_winner_rule:
            # The test takes a share of the audience; the rest waits for the winner.
            test_seed, test_share = draw_seed(campaign, "test"), campaign.winner_test_share
            rest = draw_condition(contacts, test_seed, test_share, inside=False)
            in_test = draw_condition(contacts, test_seed, test_share)
        arms = [
            (
                Arm.A,
                version,
                campaign.policy,
                in_test & draw_condition(contacts, seed, share, inside=False),
            ),
            (Arm.B, version_b, campaign.policy, in_test & draw_condition(contacts, seed, share)),
        ]
        if rest is not None:
            # No version yet: the rest's dispatch is made when the winner is known.
            arms.append((Arm.REST, None, campaign.policy, rest))
        return arms
    return [(Arm.ALL, version, campaign.policy, Q())]
