"""Response schemas of the templates API (editor.api), with the examples /api/docs shows."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from editor.models import MessageTemplate
from messaging import sms
from messaging.providers.normalized import TrafficType

# Inline lists of values: the schema's components are named by class ("Status" is taken).
TemplateStatus = Literal[tuple(MessageTemplate.Status.values)]
TemplateCategory = Literal[tuple(MessageTemplate.Category.values)]
TemplateLanguage = Literal[tuple(MessageTemplate.Language.values)]
TrafficTypeName = Literal[tuple(TrafficType.values)]
# The channel policies a send may ask (sending.models.Message.Policy, which editor cannot import).
POLICIES = ("rcs_with_fallback", "rcs_only", "sms_only")
PolicyName = Literal[POLICIES]
SmsEncoding = Literal[sms.GSM_7, sms.UCS_2]

EXAMPLE_TEMPLATE = {
    "id": "promo_soldes_v1",
    "name": "Soldes d'hiver",
    "status": "published",
    "sendable": True,
    "category": "promotion",
    "traffic_type": "PROMOTION",
    "language": "fr",
    "brand": "Maison Relais",
    "published_version": {"number": 3, "published_at": "2026-11-28T10:12:00Z"},
    "has_unpublished_changes": False,
    "variables": [
        {"name": "prenom", "required": True, "default": None, "sample": "Marie"},
        {"name": "duree_offre", "required": True, "default": None, "sample": "48h"},
    ],
    "channels": {"rcs": True, "sms_fallback": True},
    "policies": ["rcs_with_fallback", "rcs_only", "sms_only"],
    "rcs_ttl_seconds": None,
    "sms": {"encoding": "GSM-7", "segments": 1},
    "example_request": {
        "template_id": "promo_soldes_v1",
        "recipient": "+33612345678",
        "variables": {"prenom": "Marie", "duree_offre": "48h"},
    },
}


class PublishedVersionOut(Schema):
    number: int = Field(..., description="Messages sent now use this version.")
    published_at: datetime


class VariableOut(Schema):
    name: str
    required: bool = Field(..., description="True when the template has no default for it.")
    default: str | None = Field(..., description="Used when a send gives no value.")
    sample: str = Field(..., description="A sample value, as the editor's preview shows it.")


class ChannelsOut(Schema):
    rcs: bool = Field(..., description="The template has RCS content.")
    sms_fallback: bool = Field(
        ..., description="It has an SMS fallback (false for an RCS-only template)."
    )


class SmsOut(Schema):
    encoding: SmsEncoding | None = Field(..., description="GSM-7 or UCS-2, with the sample values.")
    segments: int = Field(..., description="SMS segments with the sample values.")


class TemplateOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_TEMPLATE]})

    id: str = Field(..., description="The template_id a send names.")
    name: str
    status: TemplateStatus
    sendable: bool = Field(
        ..., description="True when a send may use it: published and not archived."
    )
    category: TemplateCategory
    traffic_type: TrafficTypeName | None = Field(
        ...,
        description=(
            "Of the published version: PROMOTION needs an opt-in and follows quiet hours "
            "and the frequency cap; the others do not."
        ),
    )
    language: TemplateLanguage
    brand: str = Field(..., description="The brand (sender) it is sent as.")
    published_version: PublishedVersionOut | None = Field(
        ..., description="The version sends use; null when never published."
    )
    has_unpublished_changes: bool = Field(
        ..., description="The editor holds changes not published yet (sends do not see them)."
    )
    variables: list[VariableOut] = Field(
        ..., description="The variables of the published version, in order."
    )
    channels: ChannelsOut | None
    policies: list[PolicyName] = Field(
        ..., description="The policies a send may ask: rcs_only alone for an RCS-only template."
    )
    rcs_ttl_seconds: int | None = Field(
        ..., description="Its own RCS deadline; null: the default of its traffic type."
    )
    sms: SmsOut | None
    example_request: dict[str, Any] | None = Field(
        ..., description="A POST /api/v1/messages body with the sample values."
    )


class TemplateDetailOut(TemplateOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **EXAMPLE_TEMPLATE,
                    "rcs_content": {"text": "Bonjour {{ prenom }} !"},
                    "sms_fallback": "{{ prenom }}, -40 % pendant {{ duree_offre }}. STOP au 36111",
                }
            ]
        }
    )

    rcs_content: dict[str, Any] | None = Field(
        ..., description="The published RCS content (docs/message-format.md), variables unfilled."
    )
    sms_fallback: str | None = Field(
        ..., description="The published SMS text, STOP mention included, variables unfilled."
    )


class TemplateListOut(Schema):
    results: list[TemplateOut] = Field(..., description="Sendable templates, by id.")
