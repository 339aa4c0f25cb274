"""The segment screens: the list with live counts, the rule builder with its live count and
sample, and deletion. A segment belongs to one mode: created in the mode being looked at."""

import json

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from accounts.roles import can_edit
from audience.forms_segments import SegmentForm
from audience.models import Contact, Segment, empty_rules
from audience.segment_attributes import OPS
from audience.segment_builder import (
    OTHER_ATTRIBUTE,
    builder_tree,
    field_choices,
    kind_choices,
    kind_templates,
    known_attribute_keys,
)
from audience.segment_conditions import referenced_segments
from audience.segments import RulesError, compile_rules, validate_rules

SAMPLE_SIZE = 20


def segment_list(request):
    """The segments of the mode looked at; each count arrives on its own (segment_count)."""
    test_mode = shows_test_data(request)
    segments = Segment.objects.in_mode(test_mode)
    return render(
        request,
        "audience/segment_list.html",
        {"segments": segments, "test_data": test_mode, "mode_query": _mode_query(test_mode)},
    )


def segment_count(request, pk):
    """How many contacts a segment holds now (a fragment of the list)."""
    segment = get_object_or_404(Segment, pk=pk)
    try:
        count = segment.contacts().count()
    except RulesError:
        count = None
    return render(request, "audience/_segment_count.html", {"count": count})


def segment_create(request):
    test_mode = shows_test_data(request)
    return _builder(request, Segment(rules=empty_rules(), test_mode=test_mode))


def segment_edit(request, pk):
    return _builder(request, get_object_or_404(Segment, pk=pk))


def _builder(request, segment):
    test_mode = segment.test_mode
    editable = can_edit(request.user)
    form = SegmentForm(request.POST or None, instance=segment, test_mode=test_mode)
    if request.method == "POST" and form.is_valid():
        created = segment.pk is None
        saved = form.save()
        if created:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
        else:
            messages.success(request, _("“%(name)s” updated.") % {"name": saved.name})
        return redirect(f"{reverse('audience:segment_list')}{_mode_query(test_mode)}")
    rules = _posted_rules(request) if request.method == "POST" else segment.rules
    context = {
        "form": form,
        "segment": segment,
        "test_data": test_mode,
        "editable": editable,
        "mode_query": _mode_query(test_mode),
        "rules_json": json.dumps(rules),
        "tree": builder_tree(rules, test_mode, errors=form.rules_errors, segment=segment),
        "preview": _preview(rules, test_mode, segment),
        **_builder_choices(test_mode, rules, segment),
    }
    return render(request, "audience/segment_form.html", context)


def _posted_rules(request):
    """The posted rules, or None when they are not JSON (the validator then says so)."""
    try:
        return json.loads(request.POST.get("rules", ""))
    except ValueError:
        return None


def _builder_choices(test_mode, rules, segment):
    columns, attributes = field_choices(known_attribute_keys(test_mode, rules))
    # What "add a group" inserts: a nested OR group with one blank condition.
    blank_group = builder_tree(
        {"match": "any", "conditions": [{"kind": "attribute"}]}, test_mode, segment=segment
    )
    blank_group.update(path="conditions[0]", depth=2)
    return {
        "blank_group": blank_group,
        "ops": list(OPS.items()),
        "kinds": kind_choices(),
        "kind_templates": kind_templates(test_mode, segment),
        "columns": columns,
        "attributes": attributes,
        "other_attribute": OTHER_ATTRIBUTE,
    }


@require_POST
def segment_preview(request):
    """The live count and a sample of the contacts the posted rules match (the builder asks
    while rules change); the errors of rules that do not hold, by path."""
    test_mode = shows_test_data(request)
    segment = None
    if request.POST.get("segment"):
        segment = Segment.objects.in_mode(test_mode).filter(pk=request.POST["segment"]).first()
    return render(
        request,
        "audience/_segment_preview_response.html",
        {"preview": _preview(_posted_rules(request), test_mode, segment)},
    )


def _preview(rules, test_mode, segment):
    """Count and sample of what rules match now, or the errors that keep them from it."""
    total = Contact.objects.in_mode(test_mode).count()
    try:
        validate_rules(rules, test_mode=test_mode, segment=segment)
        matching = Contact.objects.in_mode(test_mode).filter(
            compile_rules(rules, test_mode, segment=segment)
        )
        sample = list(matching.order_by("-created")[:SAMPLE_SIZE])
        count = len(sample) if len(sample) < SAMPLE_SIZE else matching.count()
    except RulesError as refused:
        return {"errors": refused.by_path, "total": total}
    return {"count": count, "sample": sample, "total": total, "errors": {}}


def segment_delete(request, pk):
    """Ask, then delete a segment; one that other segments use stays until they stop."""
    segment = get_object_or_404(Segment, pk=pk)
    users = [
        other
        for other in Segment.objects.in_mode(segment.test_mode).exclude(pk=segment.pk)
        if segment.pk in referenced_segments(other.rules)
    ]
    blocked = None
    if request.method == "POST" and not users:
        try:
            segment.delete()
        except ProtectedError as protected:
            # Something above audience (a campaign, an audit) still points at it.
            blocked = sorted({str(item) for item in protected.protected_objects})
        else:
            messages.success(request, _("“%(name)s” deleted.") % {"name": segment.name})
            return redirect(f"{reverse('audience:segment_list')}{_mode_query(segment.test_mode)}")
    context = {
        "segment": segment,
        "users": users,
        "blocked": blocked,
        "mode_query": _mode_query(segment.test_mode),
    }
    status = 409 if request.method == "POST" else 200
    return render(request, "audience/segment_confirm_delete.html", context, status=status)


def _mode_query(test_mode):
    return "?mode=test" if test_mode else ""
