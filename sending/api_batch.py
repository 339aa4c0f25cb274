"""POST /api/v1/messages/batch: up to 1,000 messages from one template, one result each
(mounted by api.site before the messages router, listed in sending.api's ROUTERS)."""

import pydantic
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import IDEMPOTENT_ERRORS, ApiProblem, Problem
from api.validation import item_errors
from sending.api_bodies import accepted_body
from sending.models import Message
from sending.schemas import SEED_REQUEST, BatchRecipientIn, MessageBatchIn, MessageBatchOut
from sending.services.submit import SendRefused
from sending.services.submit_many import Recipient, submit_many

batch_router = Router(tags=["messages"])

BATCH_EXAMPLE = {
    "template_id": SEED_REQUEST["template_id"],
    "recipients": [
        {
            "recipient": "+33612345678",
            "variables": {"prenom": "Marie", "duree_offre": "48h"},
            "external_id": "order-1042",
        },
        {"recipient": "+33612345679", "variables": {"prenom": "Paul", "duree_offre": "24h"}},
    ],
}


def _checked(index, item):
    """(Recipient, None) for a recipient as the body gives it, or (None, its errors)."""
    try:
        data = BatchRecipientIn.model_validate(item)
    except pydantic.ValidationError as invalid:
        # Named as a single send names them (recipient, variables.prenom): index says which.
        return None, item_errors(invalid.errors())
    return Recipient(data.recipient, data.variables, data.external_id), None


def _refused(index, errors):
    return {"index": index, "status": "refused", "message": None, "errors": errors}


@batch_router.post(
    "",
    response={200: MessageBatchOut, 404: Problem, **IDEMPOTENT_ERRORS},
    url_name="message_batch",
    operation_id="message_batch",
    summary="Send one template to up to 1,000 recipients",
    description=(
        "Each recipient with its own `variables` (and `external_id`), one template for all. "
        "Each is checked as `POST /api/v1/messages` checks one, and the answer has one result "
        "per recipient, in order: `accepted` with the message (as a single send answers it), "
        "or `refused` with the same `code` and `field` the single send would give. A problem "
        "with the template, `policy`, `rcs_ttl_seconds` or `send_at` refuses the whole batch "
        "(404 or 422) and sends nothing. With an `Idempotency-Key` the whole batch is safe to "
        "retry: a repeat answers the same results and sends nothing more; the same key with "
        "another body is refused with 409."
    ),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": BATCH_EXAMPLE}}}},
)
@idempotent
def message_batch(
    request,
    response: HttpResponse,
    payload: MessageBatchIn,
    idempotency_key: IdempotencyKey = None,
):
    results = [None] * len(payload.recipients)
    recipients, positions = [], []
    for index, item in enumerate(payload.recipients):
        recipient, errors = _checked(index, item)
        if errors:
            results[index] = _refused(index, errors)
        else:
            recipients.append(recipient)
            positions.append(index)
    try:
        outcomes = submit_many(
            template_id=payload.template_id,
            recipients=recipients,
            policy=payload.policy,
            rcs_ttl_seconds=payload.rcs_ttl_seconds,
            send_at=payload.send_at,
            test_mode=request.auth.is_test,
            source=Message.Source.API,
        )
    except SendRefused as refused:
        raise ApiProblem(
            refused.status,
            _("Batch refused"),
            refused.message,
            code=refused.code,
            field=refused.field,
        ) from None
    for index, outcome in zip(positions, outcomes, strict=True):
        if isinstance(outcome, SendRefused):
            error = {"field": outcome.field, "code": outcome.code, "message": outcome.message}
            results[index] = _refused(index, [error])
        else:
            results[index] = {
                "index": index,
                "status": "accepted",
                "message": accepted_body(request, outcome),
                "errors": [],
            }
    accepted = sum(1 for result in results if result["status"] == "accepted")
    body = {"accepted": accepted, "refused": len(results) - accepted, "results": results}
    return Status(200, body)
