"""The send API: send a message, list and read messages, cancel one, check RCS capability
(mounted by api.site; the batch send is sending.api_batch). A message's body is built by
sending.api_bodies."""

from datetime import datetime
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, BODY_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from sending import lookups, services
from sending.api_batch import batch_router
from sending.api_bodies import PREFETCHED, RELATED, accepted_body, message_body
from sending.models import Message
from sending.paging import message_page
from sending.schemas import (
    EXAMPLE_ID,
    SEED_REQUEST,
    CapabilitiesIn,
    CapabilitiesOut,
    MessageAccepted,
    MessageIn,
    MessageListOut,
    MessageListQuery,
    MessageOut,
)
from sending.services import scheduling

messages_router = Router(tags=["messages"])
capabilities_router = Router(tags=["capabilities"])


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
        "key with another body is refused with 409. With `send_at` the message is `scheduled` "
        "until then (at most 35 days ahead; more than 5 minutes in the past is refused with 422 "
        "`invalid_send_at`, less means now)."
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
                        "scheduled": {
                            "summary": "Scheduled for later",
                            "value": {**SEED_REQUEST, "send_at": "2026-12-24T09:00:00+01:00"},
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
            send_at=payload.send_at,
        )
    except services.SendRefused as refused:
        raise ApiProblem(
            refused.status,
            _("Message refused"),
            refused.message,
            code=refused.code,
            field=refused.field,
        ) from None
    body = accepted_body(request, message)
    response["Location"] = body["status_url"]
    return Status(202, body)


FILTERS = ("external_id", "status", "channel", "created_gte", "created_lt", "campaign_id")
MESSAGE_ID = Path(..., description="The id the send answered.", example=EXAMPLE_ID)
LIST_DESCRIPTION = (
    "The key's messages (test keys see test messages, live keys live ones), newest first by "
    "creation then id, `limit` at a time. `has_more` says whether more follow: ask again with "
    "`starting_after` set to the last id of the page (or follow `next`). A page starts after "
    "a message, not at a position, so messages created meanwhile never make a page skip or "
    "repeat one. Filters combine."
)


def _messages(request):
    return (
        Message.objects.filter(test_mode=request.auth.is_test)
        .select_related(*RELATED)
        .prefetch_related(*PREFETCHED)
    )


def _public_id(value):
    try:
        return UUID(value)
    except ValueError:
        return None


def _as_query(value):
    """A filter's value as the query string gives it back (a moment in ISO 8601)."""
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _invalid_query(field, code, detail):
    return ApiProblem(422, _("Invalid request"), detail, code=code, field=field)


def _filtered(request, filters):
    messages = _messages(request)
    if filters["external_id"] is not None:
        messages = messages.filter(external_id=filters["external_id"])
    if filters["status"] is not None:
        messages = messages.filter(status=filters["status"])
    if filters["channel"] is not None:
        channel = filters["channel"]
        # The channel the body shows: the one that carried it, else the intended one.
        messages = messages.filter(
            Q(final_channel=channel) | Q(final_channel="", intended_channel=channel)
        )
    if filters["created_gte"] is not None:
        messages = messages.filter(created__gte=filters["created_gte"])
    if filters["created_lt"] is not None:
        messages = messages.filter(created__lt=filters["created_lt"])
    if filters["campaign_id"] is not None:
        dispatch_ids = lookups.campaign_dispatch_ids(filters["campaign_id"], request.auth.is_test)
        if dispatch_ids is None:
            raise _invalid_query(
                "campaign_id",
                "unknown_campaign",
                _("No campaign of this key's mode has this id."),
            )
        messages = messages.filter(dispatch_id__in=dispatch_ids)
    return messages


@messages_router.get(
    "",
    response={200: MessageListOut, 422: Problem, **AUTH_ERRORS},
    url_name="message_list",
    operation_id="message_list",
    summary="List messages",
    description=LIST_DESCRIPTION,
)
def message_list(request, query: Query[MessageListQuery]):
    filters = query.model_dump(include=set(FILTERS))
    starting_after = query.starting_after
    limit = query.limit
    after = None
    if starting_after is not None:
        public_id = _public_id(starting_after)
        after = (
            Message.objects.filter(public_id=public_id, test_mode=request.auth.is_test)
            .only("pk", "created")
            .first()
            if public_id
            else None
        )
        if after is None:
            raise _invalid_query(
                "starting_after",
                "invalid_starting_after",
                _("starting_after must be the id of a message of this key (the last of a page)."),
            )
    page, has_more = message_page(_filtered(request, filters), limit=limit, after=after)
    next_url = None
    if has_more:
        params = {
            **{name: _as_query(value) for name, value in filters.items() if value is not None},
            "limit": limit,
            "starting_after": str(page[-1].public_id),
        }
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
    return Status(
        200,
        {"results": [message_body(m) for m in page], "has_more": has_more, "next": next_url},
    )


@messages_router.get(
    "/by-external-id/{external_id}",
    response={200: MessageOut, 404: Problem, **AUTH_ERRORS},
    url_name="message_by_external_id",
    operation_id="message_by_external_id",
    summary="Read a message by your own reference",
    description=(
        "The newest message of the key's mode sent with this `external_id` (to see every "
        "message that carries it, list with the `external_id` filter; so too for a reference "
        "holding a slash, which no path can carry)."
    ),
)
def message_by_external_id(
    request,
    external_id: str = Path(..., description="Your reference, as sent.", example="order-1042"),
):
    message = _filtered(request, {**dict.fromkeys(FILTERS), "external_id": external_id})
    found = message.order_by("-created", "-pk").first()
    if found is None:
        raise Http404
    return Status(200, message_body(found))


def _find(request, message_id):
    public_id = _public_id(message_id)
    message = _messages(request).filter(public_id=public_id).first() if public_id else None
    if message is None:
        raise Http404
    return message


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
def message_detail(request, message_id: str = MESSAGE_ID):
    return Status(200, message_body(_find(request, message_id)))


@messages_router.post(
    "/{message_id}/cancel",
    response={200: MessageOut, 404: Problem, 409: Problem, 422: Problem, **AUTH_ERRORS},
    url_name="message_cancel",
    operation_id="message_cancel",
    summary="Cancel a scheduled or queued message",
    description=(
        "Stops a message that is `scheduled`, or `queued` and not yet with a provider: it "
        "becomes `cancelled` and is never sent. Cancelling it again answers the same. Any other "
        "message (sending, sent, delivered, failed…) is refused with 409 `not_cancellable`."
    ),
)
@idempotent
def message_cancel(
    request,
    response: HttpResponse,
    message_id: str = MESSAGE_ID,
    idempotency_key: IdempotencyKey = None,
):
    message = _find(request, message_id)
    try:
        scheduling.cancel(message.pk)
    except scheduling.NotCancellable as refused:
        raise ApiProblem(
            409, _("Message not cancellable"), refused.detail, code="not_cancellable"
        ) from None
    return Status(200, message_body(_find(request, message_id)))


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
# The batch first: its path would otherwise be read as a message id.
ROUTERS = [
    ("/messages/batch", batch_router),
    ("/messages", messages_router),
    ("/capabilities", capabilities_router),
]
