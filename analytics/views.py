import csv

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.data_mode import PARAMETER, TEST, shows_test_data
from analytics.dashboard import build
from analytics.forms import DashboardForm
from analytics.reports import Scope
from campaigns.models import Campaign
from campaigns.tallies import quiet_hours_holds
from sending.models import Message

# While a campaign is sending, its figures refresh this often.
POLL_EVERY = "15s"
# How many test campaigns an empty live page names.
TEST_HINT_CAMPAIGNS = 3


def dashboard(request):
    """Delivery, reads, clicks, conversions and cost, RCS against SMS, read from the rollups."""
    test_mode = shows_test_data(request)
    form = DashboardForm(request.GET, test_mode=test_mode)
    if not form.is_valid():
        return render(
            request,
            "analytics/dashboard.html",
            {"form": form, "test_data": test_mode, "invalid": True},
            status=400,
        )
    campaign = form.cleaned_data["campaign"]
    version = form.cleaned_data["version"]
    scope = Scope(
        test_mode=test_mode,
        campaign_id=campaign.pk if campaign else None,
        template_version_id=version.pk if version else None,
        since=form.since(),
    )
    if version:
        versions = [version]
    elif campaign:
        versions = [v for v in (campaign.template_version, campaign.template_version_b) if v]
    else:
        versions = list(form.fields["version"].queryset)
    board = build(scope, campaign=campaign, versions=versions)
    export = request.GET.get("export")
    if export:
        table = board["tables"].get(export)
        if table is None:
            return HttpResponseBadRequest(
                _("No table named “%(name)s” to export; one of: %(names)s.")
                % {"name": export, "names": ", ".join(board["tables"])}
            )
        return csv_response(table, campaign)
    # Nothing live in the whole scope: a new user's demo is in test data, the page says so.
    empty_live = not (test_mode or campaign or board["total"].messages)
    context = {
        "form": form,
        "test_data": test_mode,
        "test_hint": _test_hint(request) if empty_live else None,
        "campaign": campaign,
        "poll_every": POLL_EVERY if campaign and campaign.status == "sending" else None,
        "query": request.GET.urlencode(),
        "holds": [] if board["total"].messages else _holds(test_mode, campaign),
        **board,
    }
    htmx = request.headers.get("HX-Request") == "true"
    template = "analytics/_report.html" if htmx else "analytics/dashboard.html"
    return render(request, template, context)


def _holds(test_mode, campaign):
    """The campaigns of the empty page's scope whose messages wait for the quiet hours to end:
    a page that shows nothing says why (a demo launched on a Sunday waits for Monday)."""
    campaigns = Campaign.objects.filter(test_mode=test_mode)
    return quiet_hours_holds([campaign] if campaign else campaigns)


def csv_response(table, campaign):
    name = slugify(f"relais-{campaign.name if campaign else 'all'}-{table.slug}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([cell.value for cell in row])
    return response


def _test_hint(request):
    """What test data holds, for an empty live page: a new user sees nothing live, and the demo's
    campaigns are in test data. None once anything was sent live (the page is empty for its
    filters), or when test data holds no message and no launched campaign."""
    if Message.objects.filter(test_mode=False).exists():
        return None
    campaigns = Campaign.objects.filter(test_mode=True, launched_at__isnull=False)
    recent = list(campaigns.order_by("-launched_at", "-pk")[:TEST_HINT_CAMPAIGNS])
    if not recent and not Message.objects.filter(test_mode=True).exists():
        return None
    query = request.GET.copy()
    query[PARAMETER] = TEST
    return {"campaigns": recent, "more": max(0, campaigns.count() - len(recent)), "query": query}
