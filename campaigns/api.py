"""The campaigns API: create a draft, launch, pause, resume, cancel, continue a rollout, read
progress (mounted by api.site). A test key makes and sees test campaigns over test contacts
only, a live key live ones."""

from uuid import UUID

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from audience.models import ContactList, Segment
from campaigns import services
from campaigns.models import Campaign
from campaigns.schemas import (
    EXAMPLE_CAMPAIGN_ID,
    EXAMPLE_REQUEST,
    CampaignIn,
    CampaignOut,
    CampaignsOut,
)
from editor.models import MessageTemplate

campaigns_router = Router(tags=["campaigns"])
CAMPAIGN_ID = Path(..., description="The campaign's id.", example=EXAMPLE_CAMPAIGN_ID)
LIST_LIMIT = 200
# The actions take no body and need no Idempotency-Key: each moves from a status to another.
ACTIONS_REPEAT = (
    "Repeating it changes nothing more (the campaign is already there); a move its status "
    "forbids answers 409."
)
# The service's field names, as the request names them.
API_FIELDS = {
    "template_version": "template_id",
    "template_version_b": "experiment.template_id_b",
    "experiment_share": "experiment.share",
    "holdout_share": "experiment.holdout_share",
    "winner_after_hours": "experiment.winner.after_hours",
    "winner_test_share": "experiment.winner.test_share",
    "winner_confidence": "experiment.winner.confidence",
    "winner_if_unclear": "experiment.winner.if_unclear",
    "winner": "winner",
    "rollout_share": "rollout.first_share",
    "rollout_mode": "rollout.then",
    "rollout_wait_minutes": "rollout.wait_minutes",
    "max_failure_rate": "rollout.max_failure_rate",
    "max_opt_out_rate": "rollout.max_opt_out_rate",
}


def _refused(error):
    if error.field is None:
        return ApiProblem(409, _("Not possible now"), error.message, code=error.code)
    field = API_FIELDS.get(error.field, error.field)
    return ApiProblem(422, _("Campaign refused"), error.message, code=error.code, field=field)


def _version(template_id, field):
    template = MessageTemplate.objects.filter(slug=template_id).first()
    version = template.current_version if template is not None else None
    if version is None or template.status == MessageTemplate.Status.ARCHIVED:
        raise ApiProblem(
            422,
            _("Campaign refused"),
            _("There is no published template with the id “%(id)s”.") % {"id": template_id},
            code="unknown_template",
            field=field,
        )
    return version


def _audience(payload, test_mode):
    chosen = [
        (key, value)
        for key, value in (("list_id", payload.list_id), ("segment_id", payload.segment_id))
        if value is not None
    ]
    if len(chosen) != 1:
        raise ApiProblem(
            422,
            _("Campaign refused"),
            _("Give the audience as either list_id or segment_id (one of the two)."),
            code="audience_required",
            field="audience",
        )
    key, public_id = chosen[0]
    model = ContactList if key == "list_id" else Segment
    found = model.objects.filter(public_id=public_id, test_mode=test_mode).first()
    if found is None:
        raise ApiProblem(
            422,
            _("Campaign refused"),
            _("No list or segment has this id in this key's mode."),
            code="unknown_audience",
            field=f"audience.{key}",
        )
    return {"contact_list" if key == "list_id" else "segment": found}


def _fields(payload, test_mode):
    experiment = payload.experiment
    rollout = payload.rollout
    fields = {
        "name": payload.name,
        "test_mode": test_mode,
        "template_version": _version(payload.template_id, "template_id"),
        "variables": {
            name: rule.model_dump(exclude_none=True) for name, rule in payload.variables.items()
        },
        "policy": payload.policy,
        "send_at": payload.send_at,
        "throttle_per_second": payload.throttle_per_second,
        "rcs_ttl_seconds": payload.rcs_ttl_seconds,
        **_audience(payload.audience, test_mode),
    }
    if experiment is not None:
        fields["experiment"] = experiment.kind
        fields["experiment_share"] = experiment.share
        fields["holdout_share"] = experiment.holdout_share
        if experiment.template_id_b is not None:
            fields["template_version_b"] = _version(
                experiment.template_id_b, "experiment.template_id_b"
            )
        if experiment.winner is not None:
            fields["winner_after_hours"] = experiment.winner.after_hours
            fields["winner_test_share"] = experiment.winner.test_share
            fields["winner_confidence"] = experiment.winner.confidence
            fields["winner_if_unclear"] = experiment.winner.if_unclear
    if rollout is not None:
        fields["rollout_share"] = rollout.first_share
        fields["rollout_mode"] = rollout.then
        fields["rollout_wait_minutes"] = rollout.wait_minutes
        fields["max_failure_rate"] = rollout.max_failure_rate
        fields["max_opt_out_rate"] = rollout.max_opt_out_rate
    return fields


def _winner_body(campaign):
    if not campaign.has_winner_rule:
        return None
    figures = campaign.winner_figures or {}
    return {
        "after_hours": campaign.winner_after_hours,
        "test_share": campaign.winner_test_share,
        "confidence": campaign.winner_confidence,
        "if_unclear": campaign.winner_if_unclear,
        "due_at": campaign.winner_due_at,
        "decided_at": campaign.winner_decided_at,
        "significant": campaign.winner_significant,
        "a": figures.get("a"),
        "b": figures.get("b"),
        "p_value": figures.get("p_value"),
        "detail": services.decision_sentence(campaign),
        "winner": campaign.winner,
        "rest_sent_at": campaign.rest_sent_at,
        "waits_for_choice": campaign.waits_for_winner_choice,
    }


def campaign_body(campaign, *, with_progress=False):
    """The API's view of a campaign (GET, and the answer of every action)."""
    body = {
        "id": campaign.public_id,
        "name": campaign.name,
        "status": campaign.status,
        "stop_reason": campaign.stop_reason,
        "stop_detail": services.stop_sentence(campaign),
        "stop_figures": campaign.stop_figures or None,
        "test_mode": campaign.test_mode,
        "template_id": campaign.template_version.template.slug,
        "audience": {
            "list_id": campaign.contact_list.public_id if campaign.contact_list_id else None,
            "segment_id": campaign.segment.public_id if campaign.segment_id else None,
        },
        "variables": campaign.variables,
        "policy": campaign.policy,
        "experiment": {
            "kind": campaign.experiment,
            "share": campaign.experiment_share,
            "template_id_b": (
                campaign.template_version_b.template.slug
                if campaign.template_version_b_id
                else None
            ),
            "holdout_share": campaign.holdout_share,
            "winner": _winner_body(campaign),
        },
        "rollout": None,
        "send_at": campaign.send_at,
        "throttle_per_second": campaign.throttle_per_second,
        "rcs_ttl_seconds": campaign.rcs_ttl_seconds,
        "created": campaign.created,
        "launched_at": campaign.launched_at,
        "finished_at": campaign.finished_at,
        "progress": None,
        "next_window": None,
    }
    if campaign.has_rollout:
        body["rollout"] = {
            "first_share": campaign.rollout_share,
            "then": campaign.rollout_mode,
            "wait_minutes": campaign.rollout_wait_minutes,
            "max_failure_rate": campaign.max_failure_rate,
            "max_opt_out_rate": campaign.max_opt_out_rate,
            "continued_at": campaign.rollout_released_at,
        }
    if with_progress:
        progress = services.progress(campaign)
        body["next_window"] = progress.pop("next_window")
        body["progress"] = progress
    return body


def _find(request, campaign_id):
    try:
        return Campaign.objects.select_related(
            "template_version__template",
            "template_version_b__template",
            "contact_list",
            "segment",
        ).get(public_id=UUID(campaign_id), test_mode=request.auth.is_test)
    except (ValueError, Campaign.DoesNotExist):
        raise Http404 from None


@campaigns_router.get(
    "",
    response={200: CampaignsOut, **AUTH_ERRORS},
    url_name="campaign_index",
    operation_id="campaign_index",
    summary="The campaigns, newest first",
    description=f"The {LIST_LIMIT} newest campaigns of the key's mode, without their counts.",
)
def campaign_index(request):
    campaigns = (
        Campaign.objects.filter(test_mode=request.auth.is_test)
        .select_related(
            "template_version__template", "template_version_b__template", "contact_list", "segment"
        )
        .order_by("-created", "-pk")[:LIST_LIMIT]
    )
    return Status(200, {"results": [campaign_body(c) for c in campaigns]})


@campaigns_router.post(
    "",
    response={201: CampaignOut, **IDEMPOTENT_ERRORS},
    url_name="campaign_create",
    operation_id="campaign_create",
    summary="Create a draft campaign",
    description=(
        "A draft: nothing is sent until POST /campaigns/{id}/launch. Every variable the "
        "template requires needs a rule; a refusal names the field."
    ),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": EXAMPLE_REQUEST}}}},
)
@idempotent
def campaign_create(
    request, response: HttpResponse, payload: CampaignIn, idempotency_key: IdempotencyKey = None
):
    try:
        campaign = services.create_campaign(**_fields(payload, request.auth.is_test))
    except services.CampaignError as error:
        raise _refused(error) from None
    return Status(201, campaign_body(campaign))


@campaigns_router.get(
    "/{campaign_id}",
    response={200: CampaignOut, 404: Problem, **AUTH_ERRORS},
    url_name="campaign_detail",
    operation_id="campaign_detail",
    summary="A campaign, with its counts by status, channel and arm",
)
def campaign_detail(request, campaign_id: str = CAMPAIGN_ID):
    campaign = services.sync_status(_find(request, campaign_id))
    return Status(200, campaign_body(campaign, with_progress=True))


def _action(name, service, summary, description):
    @campaigns_router.post(
        f"/{{campaign_id}}/{name}",
        response={200: CampaignOut, 404: Problem, 409: Problem, 422: Problem, **AUTH_ERRORS},
        url_name=f"campaign_{name}",
        operation_id=f"campaign_{name}",
        summary=summary,
        description=description + " " + ACTIONS_REPEAT,
    )
    def action(request, campaign_id: str = CAMPAIGN_ID):
        campaign = _find(request, campaign_id)
        try:
            service(campaign)
        except services.CampaignError as error:
            raise _refused(error) from None
        return Status(200, campaign_body(_find(request, campaign_id), with_progress=True))

    action.__name__ = f"campaign_{name}"
    return action


campaign_launch = _action(
    "launch",
    services.launch,
    "Launch a draft campaign",
    "Starts it now, or at its send_at (status scheduled). Launching again adds nothing.",
)
campaign_pause = _action(
    "pause", services.pause, "Pause a campaign", "No new message goes until /resume."
)
campaign_resume = _action(
    "resume", services.resume, "Resume a paused campaign", "Its queued messages go again."
)
campaign_cancel = _action(
    "cancel",
    services.cancel,
    "Cancel a campaign",
    "For good: its queued messages end cancelled.",
)
campaign_continue = _action(
    "continue",
    services.continue_rollout,
    "Continue a rollout",
    "Send to the rest of the audience after the first share (also after a stop).",
)
campaign_choose_a = _action(
    "choose-a",
    lambda campaign: services.choose_winner(campaign, "a"),
    "Send version A to the rest of a content test",
    "After a winner decision without a significant difference, when the campaign waits for a "
    "person.",
)
campaign_choose_b = _action(
    "choose-b",
    lambda campaign: services.choose_winner(campaign, "b"),
    "Send version B to the rest of a content test",
    "After a winner decision without a significant difference, when the campaign waits for a "
    "person.",
)

ROUTERS = [("/campaigns", campaigns_router)]
