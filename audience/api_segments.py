"""The segments API: the saved segments of the key's mode, and how many contacts one holds
now (mounted by api.site through audience.api). Segments are built in the app's builder."""

from datetime import datetime
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from api.problems import AUTH_ERRORS, ApiProblem, Problem
from audience.models import Segment
from audience.segments import RulesError

EXAMPLE_SEGMENT_ID = "5d0f6c1a-8b7e-4f6d-9a2c-3e1b7d4c9f20"

segments_router = Router(tags=["segments"])


class SegmentOut(Schema):
    id: UUID
    name: str
    description: str
    test_mode: bool
    count: int | None = Field(
        None, description="How many contacts match now; only with ?count=true."
    )
    created: datetime
    updated: datetime


class SegmentsOut(Schema):
    results: list[SegmentOut]


class SegmentCountOut(Schema):
    id: UUID
    name: str
    count: int = Field(..., description="How many contacts of the key's mode match now.")
    counted_at: datetime


class SegmentsQuery(Schema):
    count: bool = Field(
        False, description="Also count each segment's contacts (one query per segment)."
    )


def _segment_body(segment, count=None):
    return {
        "id": segment.public_id,
        "name": segment.name,
        "description": segment.description,
        "test_mode": segment.test_mode,
        "count": count,
        "created": segment.created,
        "updated": segment.updated,
    }


def _count(segment):
    try:
        return segment.contacts().count()
    except RulesError as refused:
        detail = _("%(problem)s: open the segment in the builder to fix its rules.") % {
            "problem": "; ".join(refused.messages)
        }
        raise ApiProblem(
            409, _("Segment needs fixing"), detail, code="segment_needs_fixing"
        ) from None


@segments_router.get(
    "",
    response={200: SegmentsOut, 409: Problem, 422: Problem, **AUTH_ERRORS},
    url_name="segment_index",
    operation_id="segment_index",
    summary="The saved segments, optionally with their counts",
)
def segment_index(request, filters: Query[SegmentsQuery]):
    segments = Segment.objects.in_mode(request.auth.is_test)
    results = [_segment_body(item, _count(item) if filters.count else None) for item in segments]
    return Status(200, {"results": results})


@segments_router.get(
    "/{segment_id}/count",
    response={200: SegmentCountOut, 404: Problem, 409: Problem, **AUTH_ERRORS},
    url_name="segment_count",
    operation_id="segment_count",
    summary="How many contacts a segment holds now",
    description="Segments are dynamic: the count is taken when asked, as a send would take it.",
)
def segment_count(
    request,
    segment_id: str = Path(..., description="The segment's id.", example=EXAMPLE_SEGMENT_ID),
):
    try:
        segment = Segment.objects.in_mode(request.auth.is_test).get(public_id=UUID(segment_id))
    except (ValueError, Segment.DoesNotExist):
        raise Http404 from None
    body = {
        "id": segment.public_id,
        "name": segment.name,
        "count": _count(segment),
        "counted_at": timezone.now(),
    }
    return Status(200, body)
