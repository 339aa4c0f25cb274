"""The webhook endpoints API (mounted by api.site): register, list, change, delete endpoints
and rotate their secret. A key manages the endpoints of its mode only; a test key's endpoints
hear test data, a live key's live data."""

from uuid import UUID

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, BODY_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from integrations import outbound, services
from integrations.models import WebhookEndpoint
from integrations.schemas import (
    EXAMPLE_ENDPOINT_ID,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointsOut,
    EndpointWithSecret,
    endpoint_body,
)

router = Router(tags=["webhooks"])
ENDPOINT_ID = Path(..., description="The endpoint's id.", example=EXAMPLE_ENDPOINT_ID)
# Endpoints per mode: more is a mistake (each event is sent to every one of them).
MAX_ENDPOINTS = 20


def _mode(request):
    return WebhookEndpoint.Mode.TEST if request.auth.is_test else WebhookEndpoint.Mode.LIVE


def _find(request, endpoint_id):
    try:
        return WebhookEndpoint.objects.get(public_id=UUID(endpoint_id), mode=_mode(request))
    except (ValueError, WebhookEndpoint.DoesNotExist):
        raise Http404 from None


def _check_url(url):
    try:
        outbound.check_url(url)
    except outbound.BlockedAddress as exc:
        raise ApiProblem(
            422,
            _("Invalid request"),
            _("Webhooks cannot be sent to this URL: %(reason)s.") % {"reason": exc},
            code="url_not_allowed",
            field="url",
        ) from None


@router.post(
    "",
    response={201: EndpointWithSecret, **IDEMPOTENT_ERRORS},
    url_name="webhook_endpoint_create",
    operation_id="webhook_endpoint_create",
    summary="Register a webhook endpoint (its secret is shown once)",
    description=(
        "The endpoint hears the events of the key's mode (a test key: test data). The answer "
        "carries the `secret` that signs deliveries; it is never shown again (rotate it to get "
        "a new one). The URL must resolve to public addresses. With an `Idempotency-Key`, a "
        "repeated call answers the first one's result instead of adding a second endpoint."
    ),
)
@idempotent
def webhook_endpoint_create(
    request, response: HttpResponse, payload: EndpointIn, idempotency_key: IdempotencyKey = None
):
    mode = _mode(request)
    if WebhookEndpoint.objects.filter(mode=mode).count() >= MAX_ENDPOINTS:
        raise ApiProblem(
            422,
            _("Invalid request"),
            _("At most %(count)s endpoints per mode.") % {"count": MAX_ENDPOINTS},
            code="too_many_endpoints",
            field="url",
        )
    _check_url(payload.url)
    endpoint = WebhookEndpoint.objects.create(
        mode=mode,
        url=payload.url,
        events=[event.value for event in payload.events],
        description=payload.description,
    )
    return Status(201, endpoint_body(endpoint, secret=True))


@router.get(
    "",
    response={200: EndpointsOut, **AUTH_ERRORS},
    url_name="webhook_endpoint_index",
    operation_id="webhook_endpoint_index",
    summary="The webhook endpoints of the key's mode",
)
def webhook_endpoint_index(request):
    endpoints = WebhookEndpoint.objects.filter(mode=_mode(request))
    return Status(200, {"results": [endpoint_body(endpoint) for endpoint in endpoints]})


@router.get(
    "/{endpoint_id}",
    response={200: EndpointOut, 404: Problem, **AUTH_ERRORS},
    url_name="webhook_endpoint_detail",
    operation_id="webhook_endpoint_detail",
    summary="One webhook endpoint",
)
def webhook_endpoint_detail(request, endpoint_id: str = ENDPOINT_ID):
    return Status(200, endpoint_body(_find(request, endpoint_id)))


@router.patch(
    "/{endpoint_id}",
    response={200: EndpointOut, 404: Problem, **BODY_ERRORS, **AUTH_ERRORS},
    url_name="webhook_endpoint_update",
    operation_id="webhook_endpoint_update",
    summary="Change an endpoint's URL, events, description, or enable it again",
)
def webhook_endpoint_update(request, payload: EndpointPatch, endpoint_id: str = ENDPOINT_ID):
    endpoint = _find(request, endpoint_id)
    if payload.url is not None:
        _check_url(payload.url)
        endpoint.url = payload.url
    if payload.events is not None:
        endpoint.events = [event.value for event in payload.events]
    if payload.description is not None:
        endpoint.description = payload.description
    endpoint.save()
    if payload.enabled is True and not endpoint.enabled:
        services.enable(endpoint)
    elif payload.enabled is False and endpoint.enabled:
        endpoint.enabled = False
        endpoint.save(update_fields=["enabled", "updated"])
    return Status(200, endpoint_body(endpoint))


@router.delete(
    "/{endpoint_id}",
    response={204: None, 404: Problem, **AUTH_ERRORS},
    url_name="webhook_endpoint_delete",
    operation_id="webhook_endpoint_delete",
    summary="Delete an endpoint and its delivery log",
)
def webhook_endpoint_delete(request, endpoint_id: str = ENDPOINT_ID):
    _find(request, endpoint_id).delete()
    return Status(204, None)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response={200: EndpointWithSecret, 404: Problem, **AUTH_ERRORS},
    url_name="webhook_endpoint_rotate_secret",
    operation_id="webhook_endpoint_rotate_secret",
    summary="Give an endpoint a new secret (shown once)",
    description="Deliveries are signed with the new secret from now on; the old one stops.",
)
def webhook_endpoint_rotate_secret(request, endpoint_id: str = ENDPOINT_ID):
    endpoint = _find(request, endpoint_id)
    endpoint.rotate_secret()
    return Status(200, endpoint_body(endpoint, secret=True))


ROUTERS = [("/webhook-endpoints", router)]
