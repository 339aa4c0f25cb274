"""Provider webhooks: verify, parse, record once, answer 200 quickly."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.providers.base import WebhookRejected
from sending.services import webhooks as services

logger = logging.getLogger(__name__)


@csrf_exempt
@login_not_required
@require_POST
def webhook_receive(request, provider):
    """Take one provider webhook: 403 unless signed, 200 once recorded (even if unmatched)."""
    backend = services.webhook_provider(provider)
    if backend is None:
        raise Http404
    hook = services.webhook_request(request)
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
