"""Checking a send request before anything is written: the template's published version, the
options (policy, RCS deadline, send_at), the number, the variables and the rendered message, the
recipient's consent. Each refusal is a SendRefused naming the field at fault."""

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.utils.translation import gettext as _

from audience.destinations import check_destination
from audience.services import InvalidNumber, normalize_phone
from editor.models import MessageTemplate
from editor.services import render_version
from messaging import sms
from messaging.content import parse_content
from messaging.content_errors import ContentError
from messaging.providers.normalized import (
    RCS_TTL_MAX_SECONDS,
    RCS_TTL_MIN_SECONDS,
    Channel,
    TrafficType,
)
from messaging.sms_cap import SmsTooLong
from messaging.variables import MissingVariable, VariableError
from sending.models import Message
from sending.services.routing import default_rcs_ttl
from sending.services.sms_cap import check_sms_cap
from sending.services.validation import InvalidVariables, check_variables

# A send_at this little in the past means "now": the caller's clock may be behind ours.
SEND_AT_GRACE = timedelta(minutes=5)
# How far ahead a message may be scheduled.
SEND_AT_MAX = timedelta(days=35)


class SendRefused(Exception):
    """A message cannot be accepted; `field` and `code` say why, `status` is the HTTP status."""

    def __init__(self, field, code, message, status=422):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = str(message)
        self.status = status

    def __repr__(self):
        return f"SendRefused(field={self.field!r}, code={self.code!r}, message={self.message!r})"


def _published_version(template_id):
    template = MessageTemplate.objects.filter(slug=template_id).first()
    if template is None:
        raise SendRefused(
            "template_id",
            "unknown_template",
            _("There is no template with the id “%(id)s”.") % {"id": template_id},
            status=404,
        )
    version = template.current_version
    if version is None or template.status == MessageTemplate.Status.ARCHIVED:
        raise SendRefused(
            "template_id",
            "template_not_published",
            _("The template “%(id)s” is not published: publish it in the editor first.")
            % {"id": template_id},
        )
    return version


def _policy(version, policy):
    if policy is None:
        return Message.Policy.RCS_ONLY if version.rcs_only else Message.Policy.RCS_WITH_FALLBACK
    if policy not in Message.Policy.values:
        raise SendRefused(
            "policy",
            "invalid_policy",
            _("The policy must be one of %(choices)s.")
            % {"choices": ", ".join(Message.Policy.values)},
        )
    if version.rcs_only and policy != Message.Policy.RCS_ONLY:
        raise SendRefused(
            "policy",
            "invalid_policy",
            _("This template is RCS only: it has no SMS text, so the policy must be rcs_only."),
        )
    return policy


def _ttl(version, rcs_ttl_seconds):
    if rcs_ttl_seconds is None:
        return version.rcs_ttl_seconds or default_rcs_ttl(version.traffic_type)
    if not RCS_TTL_MIN_SECONDS <= rcs_ttl_seconds <= RCS_TTL_MAX_SECONDS:
        raise SendRefused(
            "rcs_ttl_seconds",
            "invalid_ttl",
            _("The RCS deadline must be between %(min)d seconds and %(max)d seconds (15 days).")
            % {"min": RCS_TTL_MIN_SECONDS, "max": RCS_TTL_MAX_SECONDS},
        )
    return rcs_ttl_seconds


def _check_consent(contact, traffic_type):
    if traffic_type != TrafficType.PROMOTION:
        return
    # Checked again when the message goes out: an opt-out arriving in between still wins.
    if contact.is_opted_out(Channel.SMS) and contact.is_opted_out(Channel.RCS):
        raise SendRefused(
            "recipient",
            "recipient_opted_out",
            _("This recipient has opted out of promotional messages."),
        )
    if not (contact.allows_promotions(Channel.RCS) or contact.allows_promotions(Channel.SMS)):
        raise SendRefused(
            "recipient",
            "no_consent",
            _("This recipient has not opted in to promotional messages."),
        )


def _render(version, variables, policy):
    try:
        check_variables(version, variables or {})
    except InvalidVariables as exc:
        raise SendRefused(exc.field, exc.code, exc.message) from None
    try:
        rendered = render_version(version, variables or {})
    except MissingVariable as exc:
        raise SendRefused(
            f"variables.{exc.name}",
            "missing_variable",
            _("The variable “%(name)s” is required by this template.") % {"name": exc.name},
        ) from None
    except VariableError as exc:
        raise SendRefused(f"variables.{exc.name}", "invalid_variable", str(exc)) from None
    if policy != Message.Policy.SMS_ONLY:
        # A long value can push a button label past its limit; RBM would refuse the message.
        try:
            parse_content(rendered.rcs_content)
        except ContentError as exc:
            culprit = _variable_breaking_content(version, variables or {})
            raise SendRefused(
                f"variables.{culprit}" if culprit else "variables",
                "invalid_content",
                _("With these variables the RCS message is not valid: %(issue)s")
                % {"issue": str(exc.issues[0]) if exc.issues else ""},
            ) from None
    return rendered


def _variable_breaking_content(version, variables):
    """The variable whose value alone makes the RCS content invalid (longest first), or None."""
    for name in sorted(variables, key=lambda name: len(str(variables[name])), reverse=True):
        others = {key: value for key, value in variables.items() if key != name}
        try:
            parse_content(render_version(version, others, use_samples=True).rcs_content)
        except (ContentError, VariableError):
            continue
        return name
    return None


@dataclass(frozen=True)
class Prepared:
    """One recipient's message checked and rendered, nothing written yet."""

    version: object
    phone: str
    policy: str
    ttl: int
    rendered: object
    analysis: object


def published_version(template_id):
    """The latest published version of a template; SendRefused naming template_id otherwise."""
    return _published_version(template_id)


def check_options(version, policy, rcs_ttl_seconds):
    """(policy, RCS deadline in seconds) for a send of version; SendRefused when not allowed."""
    return _policy(version, policy), _ttl(version, rcs_ttl_seconds)


def check_send_at(send_at, now):
    """send_at when it is ahead of now by at most 35 days; None when it is omitted or at most
    5 minutes past (it means now); SendRefused naming send_at otherwise."""
    if send_at is None:
        return None
    if send_at.tzinfo is None:
        raise SendRefused(
            "send_at",
            "invalid_send_at",
            _("Give send_at with a time zone: 2026-12-24T09:00:00+01:00."),
        )
    if send_at < now - SEND_AT_GRACE:
        raise SendRefused(
            "send_at",
            "invalid_send_at",
            _(
                "send_at is in the past: %(send_at)s (the time here is %(now)s); omit it to "
                "send now."
            )
            % {"send_at": utc_text(send_at), "now": utc_text(now)},
        )
    if send_at > now + SEND_AT_MAX:
        raise SendRefused(
            "send_at",
            "invalid_send_at",
            _(
                "send_at is more than %(days)d days ahead: %(send_at)s; schedule it at most "
                "%(days)d days from now."
            )
            % {"days": SEND_AT_MAX.days, "send_at": utc_text(send_at)},
        )
    return send_at if send_at > now else None


def utc_text(moment):
    """A moment as the API writes it: ISO 8601 in UTC, to the second (2026-12-24T08:00:00Z)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def prepare(version, recipient, variables, policy, ttl):
    """Check the number and render the message for one recipient, writing nothing; raises
    SendRefused naming the field at fault (as a single send names it)."""
    try:
        phone = normalize_phone(recipient)
    except InvalidNumber:
        raise SendRefused(
            "recipient",
            "invalid_recipient",
            _("“%(number)s” is not a valid phone number; use the +33612345678 form.")
            % {"number": recipient},
        ) from None
    if refusal := check_destination(phone):
        raise SendRefused("recipient", refusal.code, refusal.message)
    rendered = _render(version, variables, policy)
    try:
        check_sms_cap(version, rendered, policy)
    except SmsTooLong as exc:
        raise SendRefused(exc.field, exc.code, str(exc)) from None
    analysis = sms.analyze(rendered.sms_text) if rendered.sms_text else None
    return Prepared(version, phone, policy, ttl, rendered, analysis)


def check_consent(contact, traffic_type):
    """SendRefused naming recipient when a promotion may not go to contact."""
    _check_consent(contact, traffic_type)
