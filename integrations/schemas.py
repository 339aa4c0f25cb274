"""Request and response schemas of the webhook endpoints API, with the examples /api/docs shows."""

from datetime import datetime
from enum import Enum
from typing import Annotated
from urllib.parse import urlsplit
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from api.types import ONE_LINE, one_of
from integrations.models import EventType, WebhookEndpoint

EXAMPLE_ENDPOINT_ID = "5c1f7a9e-2b4d-4e8f-9a3c-7d6e5f4a3b21"
EXAMPLE_URL = "https://shop.example.com/relais/webhooks"
EXAMPLE_EVENTS = ["message.delivered", "message.failed", "contact.opted_out"]

# The event types, as an enum the schema lists.
EventName = Enum("EventName", {item.name: item.value for item in EventType}, type=str)
EventValue = one_of(EventType)
EndpointMode = one_of(WebhookEndpoint.Mode)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("url_scheme", "Give an http or https URL with a host.")
    if parts.username or parts.password:
        raise PydanticCustomError(
            "url_credentials", "Leave user names and passwords out of the URL."
        )
    return value


def _unique(values):
    if not values:
        raise PydanticCustomError("too_short", "Subscribe to at least one event type.")
    return list(dict.fromkeys(values))


Url = Annotated[str, Field(min_length=8, max_length=2000), ONE_LINE, AfterValidator(_http_url)]
Events = Annotated[list[EventName], Field(max_length=len(EventType)), AfterValidator(_unique)]
Description = Annotated[str, Field(max_length=200), ONE_LINE]


class EndpointIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"url": EXAMPLE_URL, "events": EXAMPLE_EVENTS}]},
    )

    url: Url
    events: Events
    description: Description = ""


class EndpointPatch(Schema):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"events": ["message.read"]}]}
    )

    url: Url | None = None
    events: Events | None = None
    description: Description | None = None
    enabled: bool | None = Field(
        None,
        description="false stops deliveries; true enables the endpoint again and sends "
        "what waited.",
    )


class EndpointOut(Schema):
    id: UUID
    url: str
    events: list[EventValue]
    description: str
    mode: EndpointMode = Field(
        ..., description="test or live: the mode of the key that created it."
    )
    enabled: bool
    disabled_reason: str = Field(..., description="Why it was disabled, empty when enabled.")
    failure_streak: int = Field(..., description="Failed tries in a row.")
    created: datetime


class EndpointWithSecret(EndpointOut):
    secret: str = Field(
        ...,
        description="Signs every delivery (Relais-Signature). Shown only in this answer: "
        "store it now.",
    )


class EndpointsOut(Schema):
    results: list[EndpointOut]


def endpoint_body(endpoint, *, secret=False):
    body = {
        "id": endpoint.public_id,
        "url": endpoint.url,
        "events": endpoint.events,
        "description": endpoint.description,
        "mode": endpoint.mode,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "failure_streak": endpoint.failure_streak,
        "created": endpoint.created,
    }
    if secret:
        body["secret"] = endpoint.secret
    return body
