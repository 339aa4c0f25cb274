"""A content test's winner rule: after N hours, send the version with the better click rate to
the rest of the audience when the difference is significant.

`decide_winner` runs as a delayed job (campaigns.tasks.decide_winner) at `winner_due_at`, and
the reconciler runs it for any decision whose job was lost. It compares the unique click rates of
arms A and B (messages with a click / messages that reached the phone's network: sent, delivered
or read) with a two-proportion test, the chi-square test of the 2×2 table without continuity
correction from scipy (the same p-value as the pooled two-proportion z-test). Below 1 − the
campaign's significance, the better arm is the winner and the rest gets it; otherwise the
campaign sends A (the control) to the rest or waits for a person to press Send A or Send B, as
configured (`winner_if_unclear`). The decision, its figures and a sentence saying it are
recorded on the campaign. Every step holds the campaign's row lock and checks what is already
recorded, so the job running twice, or with the reconciler, sends the rest once; the reconciler
takes each due test with SKIP LOCKED, so two reconcilers share the due tests between them.
"""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.stats import chi2_contingency

from campaigns.models import Campaign, CampaignArm
from campaigns.services.audiences import audience_contacts, plan_arms, record_holdout
from campaigns.services.creation import CampaignError
from campaigns.services.due import each_locked
from campaigns.services.notices import notify_admins_on_commit
from sending import services as sending
from sending.models import Message

Status = Campaign.Status
Arm = CampaignArm.Arm
MS = Message.Status
# The messages a click rate is measured on: they reached the phone's network.
REACHED = (MS.SENT, MS.DELIVERED, MS.READ)


def clicked_messages(messages):
    """The messages of the queryset a person clicked in: a tracked link or a button tap the
    provider reported, link previews and bots left out (Message.clicked_at, set by analytics).

    The one place that says what a click is for the winner rule."""
    return messages.filter(clicked_at__isnull=False)


def arm_figures(campaign) -> dict:
    """{"a": {"messages": n, "clicks": n, "rate": r}, "b": {...}} over the test's messages."""
    messages = Message.objects.filter(
        dispatch__campaign_arm__campaign=campaign, arm__in=(Arm.A, Arm.B), status__in=REACHED
    )
    reached = dict(messages.order_by().values_list("arm").annotate(n=Count("pk")))
    clicked = dict(clicked_messages(messages).order_by().values_list("arm").annotate(n=Count("pk")))
    figures = {}
    for arm in (Arm.A, Arm.B):
        n, clicks = reached.get(arm, 0), clicked.get(arm, 0)
        figures[arm] = {"messages": n, "clicks": clicks, "rate": clicks / n if n else 0.0}
    return figures


def two_proportion_p_value(clicks_a, n_a, clicks_b, n_b) -> float:
    """The two-sided p-value that the click rates of A and B are the same (1.0 when a rate
    cannot be measured, or nobody or everybody clicked: no evidence of a difference)."""
    table = [[clicks_a, n_a - clicks_a], [clicks_b, n_b - clicks_b]]
    if not n_a or not n_b or clicks_a + clicks_b in (0, n_a + n_b):
        return 1.0
    return float(chi2_contingency(table, correction=False).pvalue)


def _percent(rate):
    return f"{rate * 100:.1f} %"


def decide_winner(campaign_id, now=None):
    """Decide the content test's winner once its time has come; returns the campaign's status
    (None: no campaign). Early, paused, cancelled or already decided: nothing changes."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            return None
        _decide(campaign, now)
        return campaign.status


def _is_due(campaign, now):
    # A paused campaign is decided when resumed (resume schedules it again).
    return (
        campaign.has_winner_rule
        and campaign.winner_decided_at is None
        and campaign.status == Status.SENDING
        and campaign.winner_due_at is not None
        and campaign.winner_due_at <= now
    )


def _decide(campaign, now) -> bool:
    """The winner rule on a locked campaign; returns whether this call decided it."""
    if not _is_due(campaign, now):
        return False
    figures = arm_figures(campaign)
    a, b = figures[Arm.A], figures[Arm.B]
    p_value = two_proportion_p_value(a["clicks"], a["messages"], b["clicks"], b["messages"])
    significant = p_value < 1 - campaign.winner_confidence and a["rate"] != b["rate"]
    better = Arm.B if b["rate"] > a["rate"] else Arm.A
    campaign.winner_decided_at = now
    campaign.winner_significant = significant
    campaign.winner_figures = {
        **figures,
        "p_value": p_value,
        "confidence": campaign.winner_confidence,
    }
    _record(campaign)
    if significant:
        send_rest(campaign, better, now)
    elif campaign.winner_if_unclear == Campaign.IfUnclear.SEND_A:
        send_rest(campaign, Arm.A, now)
    else:
        campaign.status = Status.WAITING_TO_CONTINUE
        campaign.save(update_fields=["status", "updated"])
        notify_admins_on_commit(campaign, UNCLEAR_SUBJECT, UNCLEAR_BODY, decision_sentence)
    return True


def decision_sentence(campaign):
    """The rule's decision in the reader's language, from the figures kept on the campaign
    ("" before it is decided): made when read, so each reader gets their own language."""
    figures = campaign.winner_figures or {}
    if campaign.winner_decided_at is None or "a" not in figures or "b" not in figures:
        return ""
    a, b = figures["a"], figures["b"]
    words = {
        "a": _percent(a["rate"]),
        "b": _percent(b["rate"]),
        "p": f"{figures.get('p_value', 1.0):.3f}",
        "confidence": f"{figures.get('confidence', campaign.winner_confidence) * 100:g} %",
    }
    if campaign.winner_significant:
        words["winner"] = (Arm.B if b["rate"] > a["rate"] else Arm.A).upper()
        return (
            _(
                "Click rate A %(a)s, B %(b)s (p = %(p)s): the difference is significant at "
                "%(confidence)s. The rest gets %(winner)s."
            )
            % words
        )
    if campaign.winner_if_unclear == Campaign.IfUnclear.SEND_A:
        return (
            _(
                "Click rate A %(a)s, B %(b)s (p = %(p)s): the difference is not significant "
                "at %(confidence)s. The rest gets A, the control."
            )
            % words
        )
    return (
        _(
            "Click rate A %(a)s, B %(b)s (p = %(p)s): the difference is not significant "
            "at %(confidence)s. The rest waits for a person to choose A or B."
        )
        % words
    )


def _record(campaign):
    # Kept for the admin and logs, in the language of the process that decided; screens and
    # the API say it again in their reader's language (decision_sentence).
    campaign.winner_detail = decision_sentence(campaign)[:300]
    campaign.save(
        update_fields=[
            "winner_decided_at",
            "winner_significant",
            "winner_figures",
            "winner_detail",
            "updated",
        ]
    )


def choose_winner(campaign, arm, now=None) -> Campaign:
    """A person's Send A or Send B after a decision without a clear winner (idempotent)."""
    now = now or timezone.now()
    if arm not in (Arm.A, Arm.B):
        raise CampaignError("winner", "invalid_winner", _("Choose version A or version B."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.rest_sent_at is not None:
            return campaign
        if not campaign.waits_for_winner_choice:
            raise CampaignError(
                None,
                "no_winner_choice",
                _("This campaign does not wait for a choice between A and B."),
            )
        send_rest(campaign, arm, now)
    return campaign


def send_rest(campaign, arm, now):
    """Send version `arm` to the rest of the audience (the caller holds the campaign's lock)."""
    if campaign.rest_sent_at is not None:
        return
    version = campaign.template_version if arm == Arm.A else campaign.template_version_b
    contacts = record_holdout(campaign, audience_contacts(campaign))
    [rest] = [p for p in plan_arms(campaign, contacts, now) if p.arm == Arm.REST]
    # Whoever already had a message of this campaign (the list changed since) gets no second.
    messaged = Message.objects.filter(dispatch__campaign_arm__campaign=campaign)
    rest_contacts = rest.contacts.exclude(pk__in=messaged.values("contact_id"))
    dispatch = sending.create_dispatch(
        version,
        test_mode=campaign.test_mode,
        policy=campaign.policy,
        throttle_per_second=campaign.throttle_per_second,
        rcs_ttl_seconds=campaign.rcs_ttl_seconds,
    )
    CampaignArm.objects.create(campaign=campaign, dispatch=dispatch, arm=Arm.REST)
    if campaign.status == Status.PAUSED:
        # Its batches, queued at the commit, wait for the resume.
        sending.pause_dispatch(dispatch)
    new = sending.snapshot_audience(dispatch, rest_contacts, campaign.variables)
    dispatch.messages.update(arm=Arm.REST)
    if not new:
        sending.finish_if_done(dispatch.pk, now)
    campaign.winner = arm
    campaign.rest_sent_at = now
    if campaign.status == Status.WAITING_TO_CONTINUE:
        campaign.status = Status.SENDING
    campaign.save(update_fields=["winner", "rest_sent_at", "status", "updated"])


def decide_due(now=None) -> int:
    """Decide every content test whose time has come (its job lost or late); returns how many
    this call decided. Each is taken with SKIP LOCKED and decided under its lock, which records
    the decision: two reconcilers at once share the due tests and decide each once, and a job
    arriving after finds it decided. One test that cannot be decided holds up no other."""
    now = now or timezone.now()
    due = Campaign.objects.filter(
        status=Status.SENDING, winner_decided_at__isnull=True, winner_due_at__lte=now
    ).order_by("winner_due_at", "pk")
    return each_locked(
        due, lambda campaign: _decide(campaign, now), "Content test %s could not be decided"
    )


UNCLEAR_SUBJECT = gettext_lazy("Campaign “%(name)s” (%(mode)s): choose the version for the rest")
UNCLEAR_BODY = gettext_lazy(
    "%(detail)s\n\nOpen the campaign and press Send A or Send B to send to the rest "
    "of the audience."
)
