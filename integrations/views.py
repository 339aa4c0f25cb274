"""The Webhooks page: the endpoints of the mode looked at, each with its delivery log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from integrations import services
from integrations.forms import EndpointForm
from integrations.models import EventType, WebhookDelivery, WebhookEndpoint

LOG_PAGE = 50
# The secret of a new or rotated endpoint, shown once on its page (then forgotten).
SECRET_KEY = "integrations_secret_once"


def _mode_query(test_mode):
    return "?mode=test" if test_mode else ""


def _mode(test_mode):
    return WebhookEndpoint.Mode.TEST if test_mode else WebhookEndpoint.Mode.LIVE


def endpoint_list(request):
    test_mode = shows_test_data(request)
    endpoints = WebhookEndpoint.objects.filter(mode=_mode(test_mode))
    return render(
        request,
        "integrations/endpoint_list.html",
        {"endpoints": endpoints, "mode_query": _mode_query(test_mode), "test_data": test_mode},
    )


def endpoint_create(request):
    test_mode = shows_test_data(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        endpoint.mode = _mode(test_mode)
        endpoint.save()
        request.session[SECRET_KEY] = [endpoint.pk, endpoint.secret]
        messages.success(request, _("Endpoint added."))
        return redirect("integrations:endpoint_detail", endpoint.pk)
    return render(
        request,
        "integrations/endpoint_form.html",
        {"form": form, "mode_query": _mode_query(test_mode), "test_data": test_mode},
    )


def endpoint_edit(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Endpoint saved."))
        return redirect("integrations:endpoint_detail", endpoint.pk)
    return render(
        request,
        "integrations/endpoint_form.html",
        {"form": form, "endpoint": endpoint, "mode_query": _mode_query(endpoint.is_test)},
    )


def endpoint_detail(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = None
    shown = request.session.pop(SECRET_KEY, None)
    if shown and shown[0] == endpoint.pk:
        secret = shown[1]
    page = Paginator(endpoint.deliveries.all(), LOG_PAGE).get_page(request.GET.get("page"))
    labels = dict(EventType.choices)
    return render(
        request,
        "integrations/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "event_labels": [labels.get(name, name) for name in endpoint.events],
            "secret": secret,
            "page": page,
            "mode_query": _mode_query(endpoint.is_test),
        },
    )


@require_POST
def endpoint_rotate(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    endpoint.rotate_secret()
    request.session[SECRET_KEY] = [endpoint.pk, endpoint.secret]
    messages.success(request, _("New secret made: the old one no longer signs deliveries."))
    return redirect("integrations:endpoint_detail", endpoint.pk)


@require_POST
def endpoint_toggle(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if endpoint.enabled:
        endpoint.enabled = False
        endpoint.disabled_reason = _("Disabled by %(user)s.") % {"user": request.user}
        endpoint.save(update_fields=["enabled", "disabled_reason", "updated"])
        messages.success(request, _("Endpoint disabled: events wait until it is enabled."))
    else:
        count = services.enable(endpoint)
        messages.success(
            request, _("Endpoint enabled; %(count)s waiting deliveries queued.") % {"count": count}
        )
    return redirect("integrations:endpoint_detail", endpoint.pk)


def endpoint_delete(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if request.method == "POST":
        endpoint.delete()
        messages.success(request, _("Endpoint deleted."))
        return redirect(reverse("integrations:endpoint_list") + _mode_query(endpoint.is_test))
    return render(
        request,
        "integrations/endpoint_confirm_delete.html",
        {"endpoint": endpoint, "mode_query": _mode_query(endpoint.is_test)},
    )


@require_POST
def delivery_resend(request, pk):
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    if not delivery.endpoint.enabled:
        messages.error(request, _("Enable the endpoint first: it receives nothing while disabled."))
    else:
        services.resend(delivery)
        messages.success(request, _("Sent again; its new status shows here in a moment."))
    return redirect("integrations:endpoint_detail", delivery.endpoint_id)
