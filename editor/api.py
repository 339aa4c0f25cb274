"""The templates API: which templates a send may use, their variables and channels (mounted
by api.site). Templates are shared by test and live keys."""

from django.db.models import Prefetch
from django.http import Http404
from ninja import Path, Router, Status

from api.problems import AUTH_ERRORS, Problem
from editor.models import MessageTemplate, TemplateVersion
from editor.schemas import POLICIES, TemplateDetailOut, TemplateListOut
from messaging.variables import VariableError

templates_router = Router(tags=["templates"])

EXAMPLE_RECIPIENT = "+33612345678"


def _templates():
    latest = TemplateVersion.objects.order_by("-number")
    return MessageTemplate.objects.select_related("brand").prefetch_related(
        Prefetch("versions", queryset=latest, to_attr="latest_versions")
    )


def _variables(version):
    try:
        declared = version.declared_variables()
    except VariableError:  # a version is checked when published: only a hand-made row fails
        return []
    return [
        {"name": v.name, "required": v.required, "default": v.default, "sample": v.sample or ""}
        for v in declared
    ]


def template_body(template, *, detail=False):
    """A template as the API shows it (TemplateOut; TemplateDetailOut with detail)."""
    version = template.latest_versions[0] if template.latest_versions else None
    sendable = version is not None and template.status != MessageTemplate.Status.ARCHIVED
    variables = _variables(version) if version else []
    body = {
        "id": template.slug,
        "name": template.name,
        "status": template.status,
        "sendable": sendable,
        "category": template.category,
        "traffic_type": version.traffic_type if version else None,
        "language": version.language if version else template.language,
        "brand": template.brand.name,
        "published_version": (
            {"number": version.number, "published_at": version.published_at} if version else None
        ),
        # As MessageTemplate.has_unpublished_changes, without a query for the version.
        "has_unpublished_changes": (
            version is None or version.source_fingerprint != template.fingerprint()
        ),
        "variables": variables,
        "channels": None,
        "policies": [],
        "rcs_ttl_seconds": version.rcs_ttl_seconds if version else None,
        "sms": None,
        "example_request": None,
    }
    if version is not None:
        sms_fallback = bool(version.sms_fallback) and not version.rcs_only
        body["channels"] = {"rcs": bool(version.rcs_content), "sms_fallback": sms_fallback}
        body["policies"] = ["rcs_only"] if version.rcs_only else list(POLICIES)
        if sms_fallback:
            body["sms"] = {
                "encoding": version.sms_encoding or None,
                "segments": version.sms_segments,
            }
        if sendable:
            body["example_request"] = {
                "template_id": template.slug,
                "recipient": EXAMPLE_RECIPIENT,
                "variables": {v["name"]: v["sample"] for v in variables if v["sample"]},
            }
    if detail:
        body["rcs_content"] = version.rcs_content if version else None
        body["sms_fallback"] = (version.sms_fallback or None) if version else None
    return body


@templates_router.get(
    "",
    response={200: TemplateListOut, **AUTH_ERRORS},
    url_name="template_list",
    operation_id="template_list",
    summary="List the templates a send may use",
    description=(
        "The published, not archived templates, by id: each with its published version, the "
        "variables a send fills (with sample values), its traffic type and channels, and an "
        "example body for `POST /api/v1/messages`."
    ),
)
def template_list(request):
    templates = (
        _templates()
        .filter(versions__isnull=False)
        .exclude(status=MessageTemplate.Status.ARCHIVED)
        .distinct()
        .order_by("slug")
    )
    return Status(200, {"results": [template_body(t) for t in templates]})


@templates_router.get(
    "/{template_id}",
    response={200: TemplateDetailOut, 404: Problem, **AUTH_ERRORS},
    url_name="template_detail",
    operation_id="template_detail",
    summary="Read a template",
    description=(
        "Any template of the editor, with its published content (RCS and SMS, variables "
        "unfilled). `sendable` is false for one never published (`published_version` null) "
        "or archived: a send with it is refused."
    ),
)
def template_detail(
    request,
    template_id: str = Path(..., description="The template's id.", example="promo_soldes_v1"),
):
    template = _templates().filter(slug=template_id).first()
    if template is None:
        raise Http404
    return Status(200, template_body(template, detail=True))


# Mounted by api.site under /api/v1/.
ROUTERS = [("/templates", templates_router)]
