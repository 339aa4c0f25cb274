"""The send API: submit a message, read its status, check RCS capability (mounted by api.site)."""

from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, BODY_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from sending import services
from sending.models import Message
from sending.schemas import (
    EXAMPLE_ID,
    SEED_REQUEST,
    CapabilitiesIn,
    CapabilitiesOut,
    MessageAccepted,
    MessageIn,
    MessageOut,
)
from sending.services import tracking
from sending.services.waiting import waiting_notice
from sending.signals import message_events_listed

messages_router = Router(tags=["messages"])
capabilities_router = Router(tags=["capabilities"])


def _status_url(request, message):
    path = reverse("api:message_detail", kwargs={"message_id": str(message.public_id)})
    if settings.PUBLIC_BASE_URL_GIVEN:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path
    # Unset, the address the caller just used is one it can reach (any port, any server).
    return request.build_absolute_uri(path)


def _accepted_body(request, message):
    return {
        "id": str(message.public_id),
        "status": message.status,
        "status_reason": message.status_reason or None,
        "not_before": message.not_before,
        "status_url": _status_url(request, message),
        "predicted_channel": message.intended_channel,
        "test_mode": message.test_mode,
    }


@messages_router.post(
    "",
    response={202: MessageAccepted, 404: Problem, **IDEMPOTENT_ERRORS},
    url_name="message_create",
    operation_id="message_create",
    summary="Send a message",
    description=(
        "Queues one message from a published template. Answers 202 at once; follow `status_url` "
        "for delivery. A promotion outside the quiet hours' window is accepted and waits for it "
        "(`status_reason` `quiet_hours`, `not_before` says when it goes); one to a contact at "
        "the frequency cap is accepted but `suppressed` (`status_reason` `frequency_cap`). "
        "With an `Idempotency-Key` header, a repeat of the same request within 24 hours returns "
        "the first answer (header `Idempotent-Replayed: true`) and sends nothing more; the same "
        "key with another body is refused with 409."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "seed": {"summary": "The demo template", "value": SEED_REQUEST},
                        "options": {
                            "summary": "With a policy, a deadline and your reference",
                            "value": {
                                **SEED_REQUEST,
                                "policy": "rcs_with_fallback",
                                "rcs_ttl_seconds": 3600,
                                "external_id": "order-1042",
                            },
                        },
                    }
                }
            }
        }
    },
)
@idempotent
def message_create(
    request,
    response: HttpResponse,
    payload: MessageIn,
    idempotency_key: IdempotencyKey = None,
):
    try:
        message = services.submit_message(
            template_id=payload.template_id,
            recipient=payload.recipient,
            variables=payload.variables,
            policy=payload.policy,
            rcs_ttl_seconds=payload.rcs_ttl_seconds,
            external_id=payload.external_id,
            test_mode=request.auth.is_test,
            source=Message.Source.API,
        )
    except services.SendRefused as refused:
        raise ApiProblem(
            refused.status,
            _("Message refused"),
            refused.message,
            code=refused.code,
            field=refused.field,
        ) from None
    body = _accepted_body(request, message)
    response["Location"] = body["status_url"]
    return Status(202, body)


def _template_id(message):
    if message.template_version is not None:
        return message.template_version.template.slug
    # A draft test from the editor names the template whose draft it sent.
    return message.draft_of.slug if message.draft_of is not None else None


def _message_detail(message):
    # Messages Relais writes itself (a STOP acknowledgement) have no template version.
    version = message.template_version
    notice = waiting_notice(message)
    return {
        "id": message.public_id,
        "status": message.status,
        "status_reason": message.status_reason or None,
        "not_before": message.not_before,
        "channel": message.final_channel or message.intended_channel,
        "intended_channel": message.intended_channel,
        "final_channel": message.final_channel or None,
        "fallback_reason": message.fallback_reason or None,
        "policy": message.policy,
        "template_id": _template_id(message),
        "draft_test": message.draft_test,
        "template_version": version.number if version else None,
        "recipient": message.contact.phone,
        "external_id": message.external_id or None,
        "test_mode": message.test_mode,
        "sms_text": message.sms_text or None,
        "sms_encoding": message.sms_encoding or None,
        "sms_segments": message.sms_segments,
        "links": tracking.described(message),
        "created": message.created,
        "updated": message.updated,
        "sent_at": message.sent_at,
        "delivered_at": message.delivered_at,
        "read_at": message.read_at,
        "attempts": [
            {
                "id": attempt.public_id,
                "channel": attempt.channel,
                "provider": attempt.provider,
                "provider_message_id": attempt.provider_message_id or None,
                "status": attempt.status,
                "error_code": attempt.error_code or None,
                "error_text": attempt.error_text or None,
                "created": attempt.created,
            }
            for attempt in sorted(message.attempts.all(), key=lambda a: a.created)
        ],
        "events": _events(message),
        "notice": {"code": notice.code, "detail": notice.detail} if notice else None,
    }


def _events(message):
    events = [
        {
            "type": event.type,
            "cta_id": event.cta_id or None,
            "channel": event.channel or None,
            "occurred_at": event.occurred_at,
        }
        for event in message.events.all()
    ]
    for _receiver, extra in message_events_listed.send(sender=Message, message=message):
        events.extend(extra)
    return sorted(events, key=lambda event: event["occurred_at"])


@messages_router.get(
    "/{message_id}",
    response={200: MessageOut, 404: Problem, **AUTH_ERRORS},
    url_name="message_detail",
    operation_id="message_detail",
    summary="Read a message's status",
    description=(
        "Status, channel (the one that carried it, else the intended one), fallback reason, "
        "provider attempts and events, and a `notice` when receipts are far later than "
        "expected. Test keys see test messages only, live keys live ones."
    ),
)
def message_detail(
    request,
    message_id: str = Path(..., description="The id the send answered.", example=EXAMPLE_ID),
):
    try:
        public_id = UUID(message_id)
    except ValueError:
        raise Http404 from None
    message = (
        Message.objects.select_related("contact", "template_version__template", "draft_of")
        .prefetch_related("attempts", "events")
        .filter(public_id=public_id, test_mode=request.auth.is_test)
        .first()
    )
    if message is None:
        raise Http404
    return Status(200, _message_detail(message))


@capabilities_router.post(
    "",
    response={200: CapabilitiesOut, **BODY_ERRORS, **AUTH_ERRORS},
    url_name="capabilities_check",
    operation_id="capabilities_check",
    summary="Check which numbers can receive RCS",
    description=(
        "Up to 10,000 numbers a call. Answers come from the contact cache when checked in the "
        "last 31 days (see cache_age_seconds), from the provider otherwise."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {"numbers": ["+33612345678", "06 99 00 00 02"]},
                }
            }
        }
    },
)
def capabilities_check(request, payload: CapabilitiesIn):
    answers = services.check_capabilities(payload.numbers, test_mode=request.auth.is_test)
    results = [
        {
            "number": answer.number,
            "capable": answer.capable,
            "checked_at": answer.checked_at,
            "cache_age_seconds": answer.cache_age_seconds,
            "error": answer.error,
            "error_code": answer.error_code,
        }
        for answer in answers
    ]
    return Status(200, {"results": results})


# Mounted by api.site under /api/v1/.
ROUTERS = [("/messages", messages_router), ("/capabilities", capabilities_router)]
