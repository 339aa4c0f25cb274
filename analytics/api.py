"""The conversions API: the shop reports an order, Relais credits the message that earned it
(mounted by api.site). A test key writes and reads test conversions only, a live key live ones."""

from uuid import UUID

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from ninja.errors import ValidationError

from analytics.attribution import ConversionRefused, record_conversion
from analytics.conversions import Conversion
from analytics.schemas import (
    CONVERSION_REQUEST,
    EXAMPLE_CONVERSION_ID,
    ConversionIn,
    ConversionOut,
)
from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem

conversions_router = Router(tags=["conversions"])
IDENTIFIERS = ("click_id", "message_id", "phone")


def _conversion_body(conversion):
    message = conversion.message
    return {
        "id": conversion.public_id,
        "order_id": conversion.order_id,
        "value": conversion.amount,
        "currency": conversion.currency,
        "occurred_at": conversion.occurred_at,
        "matched_by": conversion.matched_by or None,
        "attributed_by": conversion.attributed_by or None,
        "message_id": message.public_id if message is not None else None,
        "clicked_at": conversion.clicked_at,
        "source": conversion.source,
        "test_mode": conversion.test_mode,
        "created": conversion.created,
    }


def _identifier_required():
    message = _("Give one of click_id, message_id or phone, to say who placed the order.")
    return ValidationError(
        [
            {"loc": ("body", "payload", name), "type": "identifier_required", "msg": message}
            for name in IDENTIFIERS
        ]
    )


@conversions_router.post(
    "",
    response={200: ConversionOut, 201: ConversionOut, **IDEMPOTENT_ERRORS},
    url_name="conversion_create",
    operation_id="conversion_create",
    summary="Report a conversion (an order)",
    description=(
        "Records an order and credits the message that earned it: the last one its buyer "
        "clicked within the click window (5 days by default) before the order, else the last "
        "one delivered within the delivery window (24 hours by default). Name the buyer with "
        "`click_id` (the `rl_click` of the landing URL, the most precise), `message_id` or "
        "`phone`; when several are given the first that names someone is used. An order that "
        "matches nobody is kept, unattributed. One conversion per `order_id`: 201 the first "
        "time, 200 with the same conversion when it is posted again, 409 when it comes back "
        "with another value or currency."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "click": {"summary": "With the click id", "value": CONVERSION_REQUEST},
                        "phone": {
                            "summary": "With the buyer's phone number and the order's time",
                            "value": {
                                "phone": "+33612345678",
                                "order_id": "CMD-2025-10413",
                                "value": 42,
                                "currency": "EUR",
                                "occurred_at": "2025-06-03T20:14:05+02:00",
                            },
                        },
                    }
                }
            }
        }
    },
)
@idempotent
def conversion_create(
    request,
    response: HttpResponse,
    payload: ConversionIn,
    idempotency_key: IdempotencyKey = None,
):
    if all(getattr(payload, name) is None for name in IDENTIFIERS):
        raise _identifier_required()
    try:
        conversion, created = record_conversion(
            order_id=payload.order_id,
            value=payload.value,
            currency=payload.currency,
            occurred_at=payload.occurred_at,
            click_id=payload.click_id,
            message_id=payload.message_id,
            phone=payload.phone,
            test_mode=request.auth.is_test,
        )
    except ConversionRefused as refused:
        raise ApiProblem(
            refused.status,
            _("Conversion refused"),
            refused.message,
            code=refused.code,
            field=refused.field,
        ) from None
    return Status(201 if created else 200, _conversion_body(conversion))


@conversions_router.get(
    "/{conversion_id}",
    response={200: ConversionOut, 404: Problem, **AUTH_ERRORS},
    url_name="conversion_detail",
    operation_id="conversion_detail",
    summary="Read a conversion",
    description="The conversion and what it was credited to. Test keys see test ones only.",
)
def conversion_detail(
    request,
    conversion_id: str = Path(
        ..., description="The id the report answered.", example=EXAMPLE_CONVERSION_ID
    ),
):
    try:
        public_id = UUID(conversion_id)
    except ValueError:
        raise Http404 from None
    conversion = (
        Conversion.objects.select_related("message")
        .filter(public_id=public_id, test_mode=request.auth.is_test)
        .first()
    )
    if conversion is None:
        raise Http404
    return Status(200, _conversion_body(conversion))


# Mounted by api.site under /api/v1/.
ROUTERS = [("/conversions", conversions_router)]
