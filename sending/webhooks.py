"""Provider webhooks: verify, parse, record once, answer 200 quickly."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.providers.webhooks import WebhookRejected
from sending.services import webhooks as services

logger = logging.getLogger(__name__)

# Provider events are a few kilobytes; a larger body is refused before it is read, so a flood
# of big requests cannot fill the web workers' memory.
MAX_BODY_BYTES = 1024 * 1024


def _declared_length(request):
    """The Content-Length of the request; Django reads nothing when it is missing or invalid."""
    try:
        return int(request.headers.get("content-length") or 0)
    except ValueError:
        return 0


def _too_large(provider, length):
    logger.warning("refused a %s webhook of %s bytes (limit %s)", provider, length, MAX_BODY_BYTES)
    text = _("The webhook body is larger than %(limit)d bytes.") % {"limit": MAX_BODY_BYTES}
    return HttpResponse(text, status=413, content_type="text/plain")


@csrf_exempt
@login_not_required
@require_POST
def webhook_receive(request, provider):
    """Take one provider webhook: 403 unless signed, 200 once recorded (even if unmatched)."""
    # Checked before the body is read: Django then reads at most Content-Length bytes.
    length = _declared_length(request)
    if length > MAX_BODY_BYTES:
        return _too_large(provider, length)
    backend = services.webhook_provider(provider)
    if backend is None:
        raise Http404
    try:
        hook = services.webhook_request(request)
    except RequestDataTooBig:
        # DATA_UPLOAD_MAX_MEMORY_SIZE is set below the webhook limit.
        return _too_large(provider, length)
    try:
        # RBM checks a new webhook URL by posting a secret it wants back.
        answer = backend.handshake(hook)
        if answer is not None:
            return HttpResponse(answer, content_type="text/plain")
        events = backend.handle_webhook(hook)
    except WebhookRejected as exc:
        logger.warning("rejected a %s webhook: %s", provider, exc)
        return HttpResponseForbidden(str(exc), content_type="text/plain")
    services.ingest(provider, events)
    return HttpResponse(status=200)
