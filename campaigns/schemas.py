"""Request and response schemas of the campaigns API, with the examples /api/docs shows."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, Strict, WithJsonSchema

from api.types import IN_UTC, Line, MultiLine, StrictInt, one_of
from campaigns.models import Campaign, CampaignArm
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from sending.models import Message
from sending.services.snapshot import CONTACT_FIELDS

StrictFloat = Annotated[float, Strict()]
# The enums, listed inline in the OpenAPI schema.
CampaignStatus = one_of(Campaign.Status)
RolloutMode = one_of(Campaign.RolloutMode)
IfUnclear = one_of(Campaign.IfUnclear)
ExperimentKind = one_of(Campaign.Experiment)
StopReason = one_of(Campaign.StopReason, blank=True)
Winner = one_of(CampaignArm.Arm, only=("a", "b"), blank=True)
PolicyName = one_of(Message.Policy)
ContactField = Annotated[Line, WithJsonSchema({"type": "string", "enum": list(CONTACT_FIELDS)})]
EXAMPLE_CAMPAIGN_ID = "3f2b8c1d-6e4a-4b9f-8d7c-2a1e5f9b0c64"
EXAMPLE_REQUEST = {
    "name": "Soldes d'hiver",
    "template_id": "promo_soldes_v1",
    "audience": {"list_id": "9a5f4c3e-1f0a-4d8e-b7d2-6c0e3f1a2b44"},
    "variables": {
        "prenom": {"field": "first_name", "default": "client"},
        "duree_offre": {"value": "48h"},
    },
    "policy": "rcs_with_fallback",
    "rollout": {"first_share": 0.1, "then": "auto", "wait_minutes": 60},
    "experiment": {"kind": "channel", "share": 0.5, "holdout_share": 0.05},
    "throttle_per_second": 100,
}


class AudienceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    list_id: UUID | None = Field(None, description="A list's id (GET /api/v1/lists).")
    segment_id: UUID | None = Field(None, description="A segment's id (GET /api/v1/segments).")


class VariableRule(Schema):
    model_config = ConfigDict(extra="forbid")

    # Listed for the schema only: the check (sending.services.snapshot) refuses another name
    # with a hint to use attribute, which a pydantic Literal would not give.
    field: ContactField | None = Field(
        None, description="A contact field: first_name, last_name, email, phone, language."
    )
    attribute: Line | None = Field(None, description="A contact attribute's name.")
    value: MultiLine | None = Field(None, description="One value for the whole campaign.")
    default: MultiLine | None = Field(None, description="Used when the field is empty.")


class RolloutIn(Schema):
    model_config = ConfigDict(extra="forbid")

    first_share: StrictFloat = Field(
        0.1, ge=0.01, le=0.99, description="The share sent first (0.1: 10 %)."
    )
    then: RolloutMode = Field(
        "manual",
        description=(
            "auto: after wait_minutes, continue when the failure and opt-out rates stayed "
            "under their thresholds (else stop, saying why); manual: wait for /continue."
        ),
    )
    wait_minutes: StrictInt = Field(60, ge=1, le=10080)
    max_failure_rate: StrictFloat = Field(0.05, ge=0, le=1)
    max_opt_out_rate: StrictFloat = Field(0.01, ge=0, le=1)


class WinnerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    after_hours: StrictInt = Field(
        ..., ge=1, le=720, description="Hours after the start when the winner is chosen."
    )
    test_share: StrictFloat = Field(
        0.2, ge=0.01, le=0.9, description="The share of the audience in the test (A and B)."
    )
    confidence: StrictFloat = Field(
        0.95, ge=0.8, le=0.999, description="The significance the difference must reach."
    )
    if_unclear: IfUnclear = Field(
        "wait",
        description=(
            "Not significant: wait for a person (POST /choose-a or /choose-b), or send A, the "
            "control, to the rest."
        ),
    )


class ExperimentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ExperimentKind = Field(
        "none",
        description=(
            "channel: the contacts known RCS-capable are split into an RCS arm and an SMS arm; "
            "content: template_id (A) against template_id_b (B)."
        ),
    )
    share: StrictFloat = Field(
        0.5, ge=0.01, le=0.99, description="The RCS arm's share (channel), B's share (content)."
    )
    template_id_b: Line | None = Field(None, max_length=64, description="Version B's template.")
    holdout_share: StrictFloat = Field(
        0, ge=0, le=0.5, description="A random share of the audience that gets nothing."
    )
    winner: WinnerIn | None = Field(
        None,
        description=(
            "Content test only: test_share of the audience gets A or B; after after_hours the "
            "rest gets the version with the better click rate if the difference is significant."
        ),
    )


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Line = Field(..., min_length=1, max_length=150)
    template_id: Line = Field(..., max_length=64, description="A published template's id.")
    audience: AudienceIn
    variables: dict[Line, VariableRule] = Field(
        default_factory=dict,
        description="Where each variable the template declares comes from: field, attribute or "
        "value, with an optional default.",
    )
    policy: Message.Policy | None = Field(None, description="rcs_with_fallback when omitted.")
    send_at: Annotated[AwareDatetime, IN_UTC] | None = Field(
        None,
        description="Start later (with a time zone), at most a year ahead; up to 5 minutes in "
        "the past means at launch, further is refused (422 `invalid_send_at`).",
    )
    rollout: RolloutIn | None = Field(None, description="Omitted: everyone at once.")
    experiment: ExperimentIn | None = None
    throttle_per_second: StrictInt | None = Field(None, ge=1, le=100_000)
    rcs_ttl_seconds: StrictInt | None = Field(None, ge=RCS_TTL_MIN_SECONDS, le=RCS_TTL_MAX_SECONDS)


class AudienceOut(Schema):
    list_id: UUID | None
    segment_id: UUID | None


class RolloutOut(Schema):
    first_share: float
    then: RolloutMode
    wait_minutes: int
    max_failure_rate: float
    max_opt_out_rate: float
    continued_at: datetime | None


class ArmClicksOut(Schema):
    messages: int
    clicks: int
    rate: float


class WinnerOut(Schema):
    after_hours: int
    test_share: float
    confidence: float
    if_unclear: IfUnclear
    due_at: datetime | None = Field(None, description="When the winner is chosen.")
    decided_at: datetime | None
    significant: bool | None
    a: ArmClicksOut | None = Field(None, description="Unique clicks over messages that went out.")
    b: ArmClicksOut | None
    p_value: float | None
    detail: str = Field(..., description="The decision in a sentence.")
    winner: Winner = Field(..., description="a or b once the rest is sent; empty before.")
    rest_sent_at: datetime | None
    waits_for_choice: bool = Field(..., description="True: POST /choose-a or /choose-b.")


class ExperimentOut(Schema):
    kind: ExperimentKind
    share: float
    template_id_b: str | None
    holdout_share: float
    winner: WinnerOut | None


class ProgressOut(Schema):
    total: int
    by_status: dict[str, int]
    by_channel: dict[str, dict[str, int]]
    by_arm: dict[str, dict[str, int]]
    holdout: int


class CampaignOut(Schema):
    id: UUID
    name: str
    status: CampaignStatus
    stop_reason: StopReason = Field(..., description="Why the rollout stopped; empty otherwise.")
    # Why it stopped, in the language of the request.
    stop_detail: str
    # The figures behind it: reached, failed, opted_out, the rates and the thresholds.
    stop_figures: dict[str, int | float] | None
    test_mode: bool
    template_id: str
    audience: AudienceOut
    variables: dict[str, dict[str, str | None]]
    policy: PolicyName
    experiment: ExperimentOut
    rollout: RolloutOut | None
    send_at: datetime | None
    throttle_per_second: int | None
    rcs_ttl_seconds: int | None
    created: datetime
    launched_at: datetime | None
    finished_at: datetime | None
    progress: ProgressOut | None = Field(
        None, description="Counts of the messages (launched campaigns, GET of one campaign)."
    )
    next_window: datetime | None = Field(
        None, description="When messages held by quiet hours go out (none held: null)."
    )


class CampaignsOut(Schema):
    results: list[CampaignOut]
