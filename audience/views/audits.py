"""The capability audit screens: start one on a list or segment, watch it, read its result."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.data_mode import shows_test_data
from audience import audit_cost
from audience.audit import AuditRefused, resume_audit, start_audit
from audience.audit_forms import EstimateForm, StartAuditForm
from audience.audit_segments import create_audit_segments
from audience.models import CapabilityAudit, ContactList, Segment

# Seconds between two looks at a running audit's progress.
POLL_EVERY = "1s"
# The URL names a segment's own page may have (the segment screens are another module's).
SEGMENT_URL_NAMES = ("audience:segment_detail", "audience:segment_edit")


def _mode_query(test_mode):
    return "?mode=test" if test_mode else ""


def audit_list(request):
    """The audits of the mode shown, and the form that starts one (a POST starts it)."""
    test_mode = shows_test_data(request)
    initial = {}
    if request.GET.get("list", "").isdigit():
        initial["audience"] = f"list:{request.GET['list']}"
    elif request.GET.get("segment", "").isdigit():
        initial["audience"] = f"segment:{request.GET['segment']}"
    form = StartAuditForm(request.POST or None, test_mode=test_mode, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            audit = start_audit(**form.cleaned_data["audience"], user=request.user)
        except AuditRefused as exc:
            form.add_error("audience", str(exc))
        else:
            return redirect(_detail_url(audit))
    audits = CapabilityAudit.objects.filter(test_mode=test_mode).select_related(
        "contact_list", "segment"
    )[:50]
    has_audiences = (
        ContactList.objects.filter(test_mode=test_mode).exists()
        or Segment.objects.in_mode(test_mode).exists()
    )
    context = {
        "form": form,
        "audits": audits,
        "has_audiences": has_audiences,
        "test_data": test_mode,
    }
    return render(request, "audience/audit_list.html", context)


def audit_detail(request, pk):
    """One audit: its progress while it runs, then its counts, cost estimate and segments."""
    audit = get_object_or_404(_audits(), pk=pk)
    estimate_form = EstimateForm(request.GET or None)
    context = _detail_context(audit, estimate_form)
    if request.headers.get("HX-Target") == "audit-estimate":
        return render(request, "audience/_audit_estimate.html", context)
    return render(request, "audience/audit_detail.html", context)


def audit_progress(request, pk):
    """The progress bar alone, for htmx to poll; a settled audit reloads the whole page."""
    audit = get_object_or_404(_audits(), pk=pk)
    if audit.is_settled and request.headers.get("HX-Request") == "true":
        return HttpResponseClientRefresh()
    return render(request, "audience/_audit_progress.html", _progress_context(audit))


@require_POST
def audit_resume(request, pk):
    """Queue a stopped or stalled audit again; it goes on from its last chunk."""
    audit = get_object_or_404(_audits(), pk=pk)
    if not resume_audit(audit):
        messages.info(request, _("This audit is not stopped: nothing to resume."))
    return redirect(_detail_url(audit))


@require_POST
def audit_segments_create(request, pk):
    """Make the two segments "<audience> — RCS" and "<audience> — not RCS" of a finished audit."""
    audit = get_object_or_404(_audits(), pk=pk)
    if audit.status != CapabilityAudit.Status.DONE:
        messages.error(request, _("Segments are made from a finished audit."))
        return redirect(_detail_url(audit))
    rcs, other = create_audit_segments(audit)
    messages.success(
        request,
        _("Segments “%(rcs)s” and “%(other)s” are ready.") % {"rcs": rcs.name, "other": other.name},
    )
    return redirect(_detail_url(audit) + "#audit-segments")


def _audits():
    return CapabilityAudit.objects.select_related(
        "contact_list", "segment", "rcs_segment", "other_segment", "created_by"
    )


def _detail_url(audit):
    return reverse("audience:audit_detail", args=[audit.pk]) + _mode_query(audit.test_mode)


def _progress_context(audit):
    return {"audit": audit, "poll": not audit.is_settled, "poll_every": POLL_EVERY}


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def _detail_context(audit, estimate_form):
    checked = audit.checked
    shares = {
        "rcs_yes": _percent(audit.rcs_yes, checked),
        "rcs_no": _percent(audit.rcs_no, checked),
        "unknown": _percent(audit.unknown, checked),
    }
    segments = [
        (segment, _segment_url(segment), segment.contacts().count())
        for segment in (audit.rcs_segment, audit.other_segment)
        if segment is not None
    ]
    return {
        **_progress_context(audit),
        "shares": shares,
        "estimate": audit_cost.estimate(audit, estimate_form.chosen_segments(audit.sms_segments)),
        "estimate_form": estimate_form,
        "segments": segments,
        "mode_query": _mode_query(audit.test_mode),
        "test_data": audit.test_mode,
    }


def _segment_url(segment):
    """The segment's own page when the segment screens have one, else None."""
    for name in SEGMENT_URL_NAMES:
        try:
            return reverse(name, args=[segment.pk]) + _mode_query(segment.test_mode)
        except NoReverseMatch:
            continue
    return None
