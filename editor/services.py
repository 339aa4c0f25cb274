"""Publishing templates, and the SMS fallback: the STOP mention and a proposed text."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from editor.fallback import propose_fallback  # noqa: F401 (part of this module's API)
from editor.models import MessageTemplate, TemplateVersion
from editor.sms_text import (  # noqa: F401 (the STOP mention is part of this module's API)
    as_tracked,
    render_with_placeholders,
    safe_sample_values,
    stop_mention_to_add,
    with_stop_mention,
)
from editor.validators import validate_sender_id, validate_stop_mention
from messaging import sms, walk
from messaging.content import ensure_cta_ids, parse_content
from messaging.content_errors import ContentError
from messaging.providers.normalized import RCS_TTL_MAX_SECONDS, RCS_TTL_MIN_SECONDS
from messaging.variables import (
    VariableError,
    compile_content,
    compile_text,
    find_in_content,
    find_unsupported,
    find_variables,
    resolve,
)

# France: short codes accept at most 10 concatenated segments; longer texts are refused.
FALLBACK_SEGMENTS_MAX = 10
# Twilio refuses a Body over 1600 characters.
FALLBACK_CHARACTERS_MAX = 1600


class PublishError(ValidationError):
    """A template cannot be published; `message_dict` maps each field to its problems.

    `content_issues` keeps messaging.content_errors' ContentIssue objects (with their JSON path)
    so an editor can point at the faulty element.
    """

    def __init__(self, problems, content_issues=()):
        super().__init__(problems)
        self.content_issues = list(content_issues)


class NothingToPublish(PublishError):
    """The template is what its latest version already froze; `version` is that version."""

    def __init__(self, version):
        super().__init__(
            {
                NON_FIELD_ERRORS: [
                    _("Nothing changed since version %(number)d: it stays the one sent.")
                    % {"number": version.number}
                ]
            }
        )
        self.version = version


class ApprovalRequired(PublishError):
    """The template's brand requires approval: it goes live through editor.review only."""

    def __init__(self, brand):
        super().__init__(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "The brand “%(brand)s” requires approval: submit the template for "
                        "review; it goes live once an approver approves it."
                    )
                    % {"brand": brand.name}
                ]
            }
        )


def fallback_text_for_sending(template):
    """Return the template's SMS fallback as it will be sent (variables not yet filled)."""
    return with_stop_mention(template.sms_fallback, template.brand, template.traffic_type)


def fallback_analysis(template):
    """Return messaging.sms.analyze() of the SMS as sent, filled with the sample values."""
    values = safe_sample_values(template)
    text = render_with_placeholders(fallback_text_for_sending(template), values)
    return sms.analyze(as_tracked(text))


def publish_problems(template):
    """Return {field: [problems]} and the content issues that stop template from publishing."""
    problems = {}
    content_issues = []

    def add(field, message):
        problems.setdefault(field, []).append(message)

    declared = []
    try:
        declared = template.declared_variables()
    except VariableError as exc:
        add("variables", str(exc))
    for item in template.variables or []:
        if not isinstance(item, Mapping):
            continue
        not_text = {
            "default": _("The default value of the variable “%(name)s” must be text."),
            "sample": _("The sample value of the variable “%(name)s” must be text."),
        }
        for key, message in not_text.items():
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                add("variables", message % {"name": item.get("name", "")})

    content = None
    try:
        content = parse_content(template.rcs_content)
    except ContentError as exc:
        content_issues += exc.issues
        for issue in exc.issues:
            add("rcs_content", str(issue))

    declared_names = {variable.name for variable in declared}
    used = {
        "rcs_content": find_in_content(template.rcs_content or {}),
        "sms_fallback": find_variables(template.sms_fallback),
    }
    for field, names in used.items():
        for name in names:
            if name not in declared_names:
                add(
                    field,
                    _(
                        "{{ %(name)s }} is used but not declared: add the variable "
                        "“%(name)s” with a sample value."
                    )
                    % {"name": name},
                )
    for field, text in _texts(template):
        for snippet in find_unsupported(text):
            add(
                field,
                _(
                    "“%(snippet)s” is not a variable and would be sent as written: variables "
                    "look like {{ first_name }} (lower-case letters, digits and _)."
                )
                % {"snippet": snippet},
            )

    ttl = template.rcs_ttl_seconds
    if ttl is not None and not RCS_TTL_MIN_SECONDS <= ttl <= RCS_TTL_MAX_SECONDS:
        add("rcs_ttl_seconds", _("The RCS deadline must be between 10 seconds and 15 days."))

    if not template.rcs_only:
        _check_fallback(template, add)

    if content is not None and declared and "variables" not in problems:
        _check_rendered(template, declared, add)
    return problems, content_issues


def _texts(template):
    """Yield (field, text) for every string the template sends."""
    yield "sms_fallback", template.sms_fallback
    for _path, text in walk.iter_strings(template.rcs_content):
        yield "rcs_content", text


def _check_fallback(template, add):
    if not template.sms_fallback.strip():
        add(
            "sms_fallback",
            _(
                "Write the SMS sent to phones without RCS, or mark the template “RCS only” "
                "(those phones then get nothing)."
            ),
        )
        return
    brand = template.brand
    if template.is_promotion:
        if not brand.sms_sender_id:
            add(
                "brand",
                _(
                    "The brand “%(brand)s” has no SMS sender ID: promotional SMS need one "
                    "(2 to 11 letters or digits)."
                )
                % {"brand": brand.name},
            )
        if not brand.stop_mention:
            add(
                "brand",
                _(
                    "The brand “%(brand)s” has no STOP mention: French promotional SMS must "
                    "end with one, e.g. “STOP au 36111”."
                )
                % {"brand": brand.name},
            )
        for validator, value in (
            (validate_sender_id, brand.sms_sender_id),
            (validate_stop_mention, brand.stop_mention),
        ):
            try:
                validator(value)
            except ValidationError as exc:
                for message in exc.messages:
                    add("brand", message)
    analysis = fallback_analysis(template)
    # Sends over the brand's limit are refused (messaging.sms_cap): refuse it here first.
    limit = min(FALLBACK_SEGMENTS_MAX, brand.sms_max_segments)
    if analysis.segments > limit:
        add(
            "sms_fallback",
            _(
                "With the STOP mention and the sample values the SMS takes %(segments)d "
                "segments; the limit is %(limit)d. Shorten it."
            )
            % {"segments": analysis.segments, "limit": limit},
        )
    elif analysis.characters > FALLBACK_CHARACTERS_MAX:
        add(
            "sms_fallback",
            ngettext(
                "The SMS is %(count)d character long; the limit is %(limit)d.",
                "The SMS is %(count)d characters long; the limit is %(limit)d.",
                analysis.characters,
            )
            % {"count": analysis.characters, "limit": FALLBACK_CHARACTERS_MAX},
        )


def _check_rendered(template, declared, add):
    """Check the content again with the sample values in: a long first name can break a label."""
    values = {name: f"[{name}]" for name in find_in_content(template.rcs_content or {})}
    values.update(resolve(declared, {}, use_samples=True))
    try:
        rendered = compile_content(template.rcs_content).render(values)
        parse_content(rendered)
    except ContentError as exc:
        for issue in exc.issues:
            add(
                "rcs_content",
                _("With the sample values, %(issue)s") % {"issue": str(issue)},
            )
    except VariableError as exc:
        add("variables", str(exc))


def publish_template(template, user=None, *, approved=False):
    """Validate template and freeze it as a new TemplateVersion; raise PublishError if refused.

    NothingToPublish (a PublishError) says the latest version already holds exactly this;
    ApprovalRequired that the brand requires approval and approved (editor.review) is False.
    """
    if template.brand.requires_approval and not approved:
        raise ApprovalRequired(template.brand)
    template.rcs_content = ensure_cta_ids(template.rcs_content or {})
    problems, content_issues = publish_problems(template)
    if problems:
        raise PublishError(problems, content_issues)
    content = parse_content(template.rcs_content).to_storage()
    declared = template.declared_variables()
    analysis = fallback_analysis(template) if not template.rcs_only else None
    with transaction.atomic():
        if template.pk is not None:
            # Locking the template row serializes concurrent publishes of one template.
            MessageTemplate.objects.select_for_update().get(pk=template.pk)
        template.rcs_content = content
        template.save()
        # Saving turned links to our own images into references: freeze those.
        content = template.rcs_content
        last = template.versions.aggregate(last=Max("number"))["last"] or 0
        # A version holds every content field under the same name, but the brand as a snapshot.
        frozen = {
            name: getattr(template, name)
            for name in MessageTemplate.CONTENT_FIELDS
            if name != "brand"
        }
        frozen.update(
            rcs_content=content,
            sms_fallback="" if template.rcs_only else fallback_text_for_sending(template),
            variables=[
                {"name": variable.name, "default": variable.default, "sample": variable.sample}
                for variable in declared
            ],
        )
        snapshot = template.brand.snapshot()
        latest = template.versions.filter(number=last).first()
        unchanged = (
            latest is not None
            and latest.brand_snapshot == snapshot
            and all(getattr(latest, name) == value for name, value in frozen.items())
        )
        # An identical version would only blur the history: the latest one stays, and the
        # template (perhaps edited and changed back) is marked published either way.
        if not unchanged:
            version = TemplateVersion.objects.create(
                template=template,
                number=last + 1,
                **frozen,
                brand_snapshot=snapshot,
                sms_encoding=analysis.encoding if analysis else "",
                sms_segments=analysis.segments if analysis else 0,
                source_fingerprint=template.fingerprint(),
                published_by=user if user is not None and user.is_authenticated else None,
            )
        template.status = MessageTemplate.Status.PUBLISHED
        template.save(update_fields=["status", "updated"])
    if unchanged:
        raise NothingToPublish(latest)
    return version


@dataclass(frozen=True)
class RenderedMessage:
    """One version filled with one recipient's values: stored RCS JSON and the SMS text."""

    rcs_content: dict
    sms_text: str
    values: dict


def render_version(version, given, *, use_samples=False):
    """Fill version with values; raise messaging.variables.MissingVariable for a missing one."""
    values = resolve(version.declared_variables(), given, use_samples=use_samples)
    rcs_content = compile_content(version.rcs_content).render(values)
    sms_text = compile_text(version.sms_fallback).render(values) if version.sms_fallback else ""
    return RenderedMessage(rcs_content=rcs_content, sms_text=sms_text, values=values)
