"""Create and edit draft campaigns; every refusal names the field at fault (CampaignError)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from sending.models import Message
from sending.services import SnapshotError
from sending.services.snapshot import check_variables_spec
from sending.services.submit_checks import SEND_AT_GRACE, utc_text

Experiment = Campaign.Experiment
Policy = Message.Policy
# How far ahead a campaign may be scheduled: further is a typo of the year, not a plan.
SEND_AT_MAX = timedelta(days=365)

EDITABLE = (
    "name",
    "test_mode",
    "template_version",
    "template_version_b",
    "contact_list",
    "segment",
    "variables",
    "policy",
    "experiment",
    "experiment_share",
    "holdout_share",
    "winner_after_hours",
    "winner_test_share",
    "winner_confidence",
    "winner_if_unclear",
    "rollout_share",
    "rollout_mode",
    "rollout_wait_minutes",
    "max_failure_rate",
    "max_opt_out_rate",
    "send_at",
    "throttle_per_second",
    "rcs_ttl_seconds",
)


class CampaignError(ValueError):
    """A campaign cannot be created, changed or moved: `field` names what is at fault (or is
    None when it is the campaign's status), `code` is stable, the message is for people."""

    def __init__(self, field, code, message):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


def create_campaign(**fields) -> Campaign:
    """A draft campaign from the EDITABLE fields; raises CampaignError naming the field."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"create_campaign() got unknown fields: {', '.join(sorted(unknown))}")
    if fields.get("policy") is None:
        fields.pop("policy", None)
        version = fields.get("template_version")
        if version is not None and version.rcs_only:
            fields["policy"] = Policy.RCS_ONLY
    campaign = Campaign(**{k: v for k, v in fields.items() if v is not None})
    _send_at_now(campaign)
    validate(campaign)
    campaign.save()
    return campaign


def update_campaign(campaign, **fields) -> Campaign:
    """Change a draft (or scheduled, not yet started) campaign; raises CampaignError."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_campaign() got unknown fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise CampaignError(None, "not_a_draft", _("Only a draft campaign can be changed."))
        for name, value in fields.items():
            setattr(campaign, name, value)
        _send_at_now(campaign)
        validate(campaign)
        campaign.save()
    return campaign


def _share(campaign, field, low, high, *, label):
    value = getattr(campaign, field)
    if not isinstance(value, int | float) or not (low <= value <= high):
        raise CampaignError(
            field,
            "invalid_share",
            _("%(label)s must be a number between %(low)s and %(high)s.")
            % {"label": label, "low": low, "high": high},
        )


def _send_at_now(campaign):
    """A send_at at most 5 minutes past means "at launch": the caller's clock may be behind."""
    now, send_at = timezone.now(), campaign.send_at
    if send_at is not None and timezone.is_aware(send_at) and now - SEND_AT_GRACE <= send_at <= now:
        campaign.send_at = None


def validate(campaign, now=None):
    """Raise CampaignError for the first thing wrong with the campaign's settings; a send_at
    more than 5 minutes before now, or more than a year after, is wrong."""
    if not (campaign.name or "").strip():
        raise CampaignError("name", "required", _("Give the campaign a name."))
    if len(campaign.name) > 150:
        raise CampaignError("name", "too_long", _("The name is at most 150 characters."))
    version = campaign.template_version if campaign.template_version_id else None
    if version is None:
        raise CampaignError(
            "template_version", "required", _("Choose a published template to send.")
        )
    _validate_audience(campaign)
    _validate_experiment(campaign, version)
    _validate_variables(campaign)
    if campaign.policy not in Policy.values:
        raise CampaignError(
            "policy",
            "invalid_policy",
            _("The policy must be one of %(choices)s.") % {"choices": ", ".join(Policy.values)},
        )
    if version.rcs_only and campaign.policy == Policy.SMS_ONLY:
        raise CampaignError(
            "policy",
            "rcs_only_template",
            _("This template has no SMS version: it cannot be sent by SMS only."),
        )
    _share(campaign, "holdout_share", 0, 0.5, label=_("The holdout share"))
    _validate_rollout(campaign)
    if campaign.throttle_per_second is not None and campaign.throttle_per_second < 1:
        raise CampaignError(
            "throttle_per_second",
            "invalid_throttle",
            _("The throttle is at least 1 message a second (leave it empty for no limit)."),
        )
    ttl = campaign.rcs_ttl_seconds
    if ttl is not None and not RCS_TTL_MIN_SECONDS <= ttl <= RCS_TTL_MAX_SECONDS:
        raise CampaignError(
            "rcs_ttl_seconds",
            "invalid_rcs_ttl",
            _("The RCS deadline is between %(low)s seconds and %(days)s days.")
            % {"low": RCS_TTL_MIN_SECONDS, "days": RCS_TTL_MAX_SECONDS // 86400},
        )
    _validate_send_at(campaign.send_at, now or timezone.now())


def _validate_send_at(send_at, now):
    if send_at is None:
        return
    if timezone.is_naive(send_at):
        raise CampaignError("send_at", "naive_send_at", _("Give the send time with its time zone."))
    if send_at < now - SEND_AT_GRACE:
        raise CampaignError(
            "send_at",
            "invalid_send_at",
            _(
                "The send time is in the past: %(send_at)s (the time here is %(now)s); "
                "give a later one, or none to start at launch."
            )
            % {"send_at": utc_text(send_at), "now": utc_text(now)},
        )
    if send_at > now + SEND_AT_MAX:
        raise CampaignError(
            "send_at",
            "invalid_send_at",
            _("The send time is more than a year ahead: %(send_at)s; give one within a year.")
            % {"send_at": utc_text(send_at)},
        )


def _validate_audience(campaign):
    chosen = [a for a in (campaign.contact_list, campaign.segment) if a is not None]
    if len(chosen) != 1:
        raise CampaignError(
            "audience", "audience_required", _("Choose one list or one segment to send to.")
        )
    if chosen[0].test_mode != campaign.test_mode:
        raise CampaignError(
            "audience",
            "audience_mode",
            _("The audience holds test data and the campaign live data, or the other way round."),
        )


def _validate_experiment(campaign, version):
    if campaign.experiment not in Experiment.values:
        raise CampaignError(
            "experiment",
            "invalid_experiment",
            _("The experiment must be one of %(choices)s.")
            % {"choices": ", ".join(Experiment.values)},
        )
    has_b = campaign.template_version_b_id is not None
    if campaign.experiment == Experiment.CONTENT:
        if not has_b:
            raise CampaignError(
                "template_version_b",
                "version_b_required",
                _("A content test needs a second template, B."),
            )
        if campaign.template_version_b_id == campaign.template_version_id:
            raise CampaignError(
                "template_version_b",
                "same_versions",
                _("Versions A and B of a content test must differ."),
            )
    elif has_b:
        raise CampaignError(
            "template_version_b",
            "version_b_unused",
            _("A second template is only used by a content test."),
        )
    if campaign.experiment == Experiment.CHANNEL and campaign.policy == Policy.SMS_ONLY:
        raise CampaignError(
            "experiment",
            "channel_test_sms_only",
            _("A channel test compares RCS with SMS: the policy cannot be SMS only."),
        )
    if campaign.experiment != Experiment.NONE:
        _share(campaign, "experiment_share", 0.01, 0.99, label=_("The experiment share"))
    _validate_winner_rule(campaign)


# A winner is decided after at most 30 days.
MAX_WINNER_HOURS = 720


def _validate_winner_rule(campaign):
    if campaign.winner_after_hours is None:
        return
    if campaign.experiment != Experiment.CONTENT:
        raise CampaignError(
            "winner_after_hours",
            "winner_needs_content_test",
            _("Only a content test (A against B) sends a winner to the rest."),
        )
    hours = campaign.winner_after_hours
    if not isinstance(hours, int) or not 1 <= hours <= MAX_WINNER_HOURS:
        raise CampaignError(
            "winner_after_hours",
            "invalid_winner_hours",
            _("The winner is chosen between 1 and %(max)s hours after the start.")
            % {"max": MAX_WINNER_HOURS},
        )
    if campaign.rollout_share is not None:
        raise CampaignError(
            "winner_after_hours",
            "winner_with_rollout",
            _(
                "A content test that sends the winner to the rest already sends to a first "
                "share: it cannot have a rollout too."
            ),
        )
    _share(campaign, "winner_test_share", 0.01, 0.9, label=_("The share in the test"))
    _share(campaign, "winner_confidence", 0.8, 0.999, label=_("The significance"))
    if campaign.winner_if_unclear not in Campaign.IfUnclear.values:
        raise CampaignError(
            "winner_if_unclear",
            "invalid_if_unclear",
            _("Without a significant difference the rest either waits (wait) or gets A (send_a)."),
        )


def _validate_variables(campaign):
    try:
        check_variables_spec(campaign.variables)
    except SnapshotError as error:
        raise CampaignError(error.field, "invalid_variables", str(error)) from None
    versions = [campaign.template_version]
    if campaign.template_version_b_id:
        versions.append(campaign.template_version_b)
    declared = {}
    for version in versions:
        for variable in version.declared_variables():
            declared.setdefault(variable.name, variable)
    for name in campaign.variables:
        if name not in declared:
            raise CampaignError(
                f"variables.{name}",
                "unknown_variable",
                _("The template declares no variable “%(name)s”.") % {"name": name},
            )
    for name, variable in declared.items():
        if variable.required and name not in campaign.variables:
            raise CampaignError(
                f"variables.{name}",
                "missing_variable",
                _(
                    "Say where the variable “%(name)s” comes from: a contact field, an attribute "
                    "or a value."
                )
                % {"name": name},
            )


def _validate_rollout(campaign):
    if campaign.rollout_share is None:
        return
    _share(campaign, "rollout_share", 0.01, 0.99, label=_("The first share"))
    if campaign.rollout_mode not in Campaign.RolloutMode.values:
        raise CampaignError(
            "rollout_mode",
            "invalid_rollout_mode",
            _(
                "After the first share the rollout either continues automatically (auto) or "
                "waits for Continue (manual)."
            ),
        )
    if not campaign.rollout_wait_minutes or campaign.rollout_wait_minutes < 1:
        raise CampaignError(
            "rollout_wait_minutes",
            "invalid_wait",
            _("The waiting time is at least one minute."),
        )
    _share(campaign, "max_failure_rate", 0, 1, label=_("The highest failure rate"))
    _share(campaign, "max_opt_out_rate", 0, 1, label=_("The highest opt-out rate"))
