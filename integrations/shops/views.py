"""The Shops screens (user menu): a shop with its webhook address, instructions, mappings and
event log; the mapping screen; and the public webhook each shop posts to."""

import ipaddress
import json
import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from editor.models import MessageTemplate
from integrations.shops import mapping as mappings
from integrations.shops import parsing, samples, services
from integrations.shops.forms import MappingForm, ShopForm, published_templates
from integrations.shops.models import Platform, Shop, ShopEvent, ShopMapping

logger = logging.getLogger(__name__)

LOG_PAGE = 50
# Order webhooks are a few kilobytes; a larger body is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024


def _mode_query(test_mode):
    return "?mode=test" if test_mode else ""


def webhook_url(request, shop):
    path = reverse("integrations:shop_webhook", args=[shop.public_id])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def shop_list(request):
    test_mode = shows_test_data(request)
    shops = Shop.objects.filter(mode=Shop.Mode.TEST if test_mode else Shop.Mode.LIVE)
    return render(
        request,
        "integrations/shops/shop_list.html",
        {"shops": shops, "mode_query": _mode_query(test_mode), "test_data": test_mode},
    )


def shop_create(request):
    test_mode = shows_test_data(request)
    initial = {"mode": Shop.Mode.TEST if test_mode else Shop.Mode.LIVE, "platform": "shopify"}
    form = ShopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        shop = form.save(commit=False)
        shop.created_by = request.user
        shop.save()
        messages.success(request, _("Shop added: give it the webhook address below."))
        return redirect("integrations:shop_detail", shop.pk)
    return render(
        request,
        "integrations/shops/shop_form.html",
        {"form": form, "mode_query": _mode_query(test_mode)},
    )


def shop_edit(request, pk):
    shop = get_object_or_404(Shop, pk=pk)
    form = ShopForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Shop saved."))
        return redirect("integrations:shop_detail", shop.pk)
    return render(request, "integrations/shops/shop_form.html", {"form": form, "shop": shop})


def shop_delete(request, pk):
    shop = get_object_or_404(Shop, pk=pk)
    if request.method == "POST":
        shop.delete()
        messages.success(request, _("Shop deleted: its webhooks now get 404."))
        return redirect(reverse("integrations:shop_list") + _mode_query(shop.is_test))
    return render(request, "integrations/shops/shop_confirm_delete.html", {"shop": shop})


def address_problem(url, platform):
    """Why the shop cannot post to url, in a sentence, or ""."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        internal = not ipaddress.ip_address(host).is_global
    except ValueError:
        internal = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    if internal:
        return _(
            "This address is on this machine or a private network: the shop cannot reach it. "
            "Set PUBLIC_BASE_URL to the public https address of Relais."
        )
    if parts.scheme != "https" and platform == Platform.SHOPIFY:
        return _("Shopify sends webhooks to https addresses only: serve Relais over https.")
    return ""


def _refusal_notice(shop):
    """The last webhook refused for its signature, when nothing was accepted since."""
    refusal = services.last_refusal(shop)
    if refusal is None:
        return None
    at, missing = refusal
    newest = shop.events.filter(is_test_event=False).order_by("-created").first()
    if newest is not None and newest.created >= at:
        return None
    return {"at": at, "missing": missing}


def shop_detail(request, pk):
    shop = get_object_or_404(Shop, pk=pk)
    test_mode = shop.is_test or shows_test_data(request)
    events = shop.events.filter(test_mode=test_mode).select_related("message")
    page = Paginator(events, LOG_PAGE).get_page(request.GET.get("page"))
    shop_mappings = shop.mappings.select_related("template")
    url = webhook_url(request, shop)
    return render(
        request,
        "integrations/shops/shop_detail.html",
        {
            "shop": shop,
            "webhook_url": url,
            "address_problem": address_problem(url, shop.platform),
            "refusal": _refusal_notice(shop),
            "mappings": [(m, mappings.topic_label(shop.platform, m.topic)) for m in shop_mappings],
            "page": page,
            "test_log": test_mode,
            "topics": mappings.TOPICS[shop.platform],
        },
    )


def _variables(template):
    version = template.current_version if template else None
    return version.declared_variables() if version else []


def _template(value):
    try:
        return MessageTemplate.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _suggested_template(topic):
    category = mappings.TOPIC_CATEGORY.get(topic)
    if not category:
        return None
    return published_templates().filter(category=category).first()


def _initial(shop, mapping, topic, status, template, posted=None):
    initial = {
        "topic": topic,
        "status": status,
        "template": template,
        "enabled": mapping.enabled if mapping else True,
    }
    if shop.platform == Platform.WOOCOMMERCE:
        initial["consent_meta_key"] = shop.consent_meta_key
    saved = mapping.fields if mapping and mapping.template_id == getattr(template, "pk", 0) else {}
    for variable in _variables(template):
        rule = saved.get(variable.name) if saved else {"path": mappings.suggest(variable.name)}
        if posted and f"path__{variable.name}" in posted:
            rule = {
                key: posted.get(f"{key}__{variable.name}", "")
                for key in ("path", "fixed", "default")
            }
        for key in ("path", "fixed", "default"):
            initial[f"{key}__{variable.name}"] = (rule or {}).get(key, "")
    if mapping:
        initial["mapping_pk"] = mapping.pk
    return initial


def mapping_edit(request, pk, mapping_pk=None):
    """Create or edit a mapping. "Show its variables" (name refresh) redraws the form for the
    topic and template chosen, without saving."""
    shop = get_object_or_404(Shop, pk=pk)
    mapping = get_object_or_404(ShopMapping, pk=mapping_pk, shop=shop) if mapping_pk else None
    data = request.POST if request.method == "POST" else request.GET
    topic = data.get(
        "topic", mapping.topic if mapping else next(iter(mappings.TOPICS[shop.platform]))
    )
    status = data.get("status", mapping.status if mapping else "")
    template = _template(data.get("template")) or (mapping.template if mapping else None)
    template = template or _suggested_template(topic)
    variables = _variables(template)
    refresh = request.method != "POST" or "refresh" in request.POST
    if refresh:
        posted = request.POST if request.method == "POST" else None
        initial = _initial(shop, mapping, topic, status, template, posted)
        form = MappingForm(shop=shop, variables=variables, initial=initial)
    else:
        initial = {"mapping_pk": mapping.pk} if mapping else {}
        form = MappingForm(request.POST, shop=shop, variables=variables, initial=initial)
        if form.is_valid():
            mapping = mapping or ShopMapping(shop=shop)
            mapping.topic = form.cleaned_data["topic"]
            mapping.status = form.cleaned_data.get("status") or ""
            mapping.template = form.cleaned_data["template"]
            mapping.fields = form.mapped_fields()
            mapping.enabled = form.cleaned_data["enabled"]
            mapping.save()
            if "consent_meta_key" in form.cleaned_data:
                shop.consent_meta_key = form.cleaned_data["consent_meta_key"].strip()
                shop.save(update_fields=["consent_meta_key", "updated"])
            messages.success(request, _("Mapping saved."))
            return redirect("integrations:mapping_edit", shop.pk, mapping.pk)
    payload = samples.sample_payload(shop.platform, topic, status)
    order = parsing.parse(shop.platform, topic, payload, consent_meta_key=shop.consent_meta_key)
    rows = form.rows()
    for row in rows:
        source = mappings.Source(
            path=str(row["path"].value() or ""),
            fixed=str(row["fixed"].value() or ""),
            default=str(row["default"].value() or ""),
        )
        row["sample"] = mappings.value_of(source, payload, order)
    event = None
    if mapping and request.GET.get("event"):
        event = shop.events.filter(pk=request.GET["event"]).select_related("message").first()
    return render(
        request,
        "integrations/shops/mapping_form.html",
        {
            "shop": shop,
            "mapping": mapping,
            "form": form,
            "rows": rows,
            "topics": mappings.TOPICS[shop.platform],
            "tree": parsing.tree(payload),
            "derived": [
                (path, label, order.derived.get(path) or "—")
                for path, label in parsing.DERIVED.items()
            ],
            "meta_keys": [
                item.get("key") for item in payload.get("meta_data") or [] if isinstance(item, dict)
            ],
            "sample_name": samples.sample_name(shop.platform, topic, status),
            "event": event,
        },
    )


@require_POST
def mapping_delete(request, pk, mapping_pk):
    mapping = get_object_or_404(ShopMapping, pk=mapping_pk, shop_id=pk)
    mapping.delete()
    messages.success(request, _("Mapping deleted."))
    return redirect("integrations:shop_detail", pk)


@require_POST
def mapping_test(request, pk, mapping_pk):
    """Send the platform's sample for the mapping's topic through the webhook pipeline."""
    mapping = get_object_or_404(
        ShopMapping.objects.select_related("shop"), pk=mapping_pk, shop_id=pk
    )
    reception = services.send_test_event(mapping.shop, mapping.topic, mapping.status)
    if reception.event is None:
        messages.error(
            request, _("The test event was refused: %(why)s.") % {"why": reception.detail}
        )
        return redirect("integrations:mapping_edit", pk, mapping.pk)
    url = reverse("integrations:mapping_edit", args=[pk, mapping.pk])
    return redirect(f"{url}?event={reception.event.pk}#test-result")


def event_status(request, pk):
    """One event and what it produced (polled by the mapping screen while it is processed)."""
    event = get_object_or_404(ShopEvent.objects.select_related("shop", "message"), pk=pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "integrations/shops/_event_result.html", {"event": event})
    payload_text = json.dumps(event.payload, indent=2, ensure_ascii=False) if event.payload else ""
    return render(
        request,
        "integrations/shops/event_detail.html",
        {"event": event, "payload_text": payload_text, "fix": _fix_for(event)},
    )


@require_POST
def event_process_again(request, pk):
    """Process a failed event again, once its cause is fixed (the admin has the same action)."""
    event = get_object_or_404(ShopEvent, pk=pk)
    if services.process_again([event]):
        messages.success(request, _("Processing it again: its new status shows here in a moment."))
    else:
        messages.error(request, _("Only a failed event is processed again."))
    return redirect("integrations:shop_event", event.pk)


# Reasons a change of mapping cures: the screen links to it from the event.
MAPPING_REASONS = (ShopEvent.Reason.MISSING_VALUE, ShopEvent.Reason.TEMPLATE_NOT_PUBLISHED)


def _fix_for(event):
    """(label, url) of the screen that cures the event's reason, or None."""
    shop = event.shop
    if event.reason_code == ShopEvent.Reason.NO_MAPPING and event.topic:
        url = reverse("integrations:mapping_create", args=[shop.pk])
        return _("Map this event"), f"{url}?{urlencode({'topic': event.topic})}"
    if event.reason_code in MAPPING_REASONS:
        mapping = shop.mappings.filter(topic=event.topic).order_by("-status").first()
        if mapping is not None:
            url = reverse("integrations:mapping_edit", args=[shop.pk, mapping.pk])
            return _("Open the mapping"), url
    return None


@csrf_exempt
@login_not_required
@require_POST
def shop_webhook(request, public_id):
    """A shop's webhook: 404 for an unknown shop, 413 over 1 MB, 401 unless signed with the
    shop's secret, 400 for a signed body that is no JSON object, else 200 at once."""
    shop = Shop.objects.filter(public_id=public_id).first()
    if shop is None:
        return JsonResponse(
            {"error": "unknown_shop", "detail": "No shop has this address."}, status=404
        )
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        logger.warning("refused a %s-byte webhook for shop %s", length, shop.pk)
        return JsonResponse(
            {"error": "too_large", "detail": f"The body is over {MAX_BODY_BYTES} bytes."},
            status=413,
        )
    # Read through the stream, so a body sent without a length is cut at the limit too.
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse(
            {"error": "too_large", "detail": f"The body is over {MAX_BODY_BYTES} bytes."},
            status=413,
        )
    reception = services.receive(shop, body, request.headers)
    answer = {"status": reception.outcome}
    if reception.detail:
        answer["detail"] = reception.detail
    return JsonResponse(answer, status=reception.status)
