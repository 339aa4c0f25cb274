"""A template's current draft seen as a version, so it can be rendered and sent for a test."""

from editor.models import MessageTemplate, TemplateVersion
from editor.services import PublishError, fallback_text_for_sending, publish_problems
from messaging.content import ensure_cta_ids, parse_content


def draft_version(template):
    """Return the draft as publishing would freeze it, unsaved; raise PublishError if it could
    not be published (the same problems, so the editor's summary can list them)."""
    draft = MessageTemplate(
        **{**template.content_values(), "rcs_content": ensure_cta_ids(template.rcs_content or {})}
    )
    draft.brand = template.brand
    problems, content_issues = publish_problems(draft)
    if problems:
        raise PublishError(problems, content_issues)
    declared = draft.declared_variables()
    return TemplateVersion(
        template=template,
        rcs_content=parse_content(draft.rcs_content).to_storage(),
        sms_fallback="" if draft.rcs_only else fallback_text_for_sending(draft),
        rcs_only=draft.rcs_only,
        variables=[
            {"name": variable.name, "default": variable.default, "sample": variable.sample}
            for variable in declared
        ],
        brand_snapshot=template.brand.snapshot(),
        traffic_type=draft.traffic_type,
        rcs_ttl_seconds=draft.rcs_ttl_seconds,
        language=draft.language,
    )
