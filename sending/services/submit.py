"""Accepting a message to send (the API's entry point) and answering capability questions."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jobs
from audience.destinations import check_destination
from audience.models import Contact
from audience.services import InvalidNumber, get_or_create_contact, normalize_phone
from editor.models import MessageTemplate
from editor.services import render_version
from messaging import sms
from messaging.content import ContentError, parse_content
from messaging.providers import get_provider
from messaging.providers.base import (
    RCS_TTL_MAX_SECONDS,
    RCS_TTL_MIN_SECONDS,
    Channel,
    ProviderError,
    TrafficType,
)
from messaging.providers.modes import provider_name_for
from messaging.sms_cap import SmsTooLong
from messaging.variables import MissingVariable, VariableError
from sending.models import Message
from sending.services import promotion_rules, scheduling
from sending.services.modes import keeps_word_of
from sending.services.routing import default_rcs_ttl, predict_channel
from sending.services.sms_cap import check_sms_cap
from sending.services.validation import InvalidVariables, check_variables

CAPABILITY_NUMBERS_MAX = 10_000
# How far ahead a send may be scheduled (send_at).
SEND_AT_MIN = timedelta(minutes=5)
SEND_AT_MAX = timedelta(days=35)

logger = logging.getLogger(__name__)


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


def _content_source(version, rendered):
    """Where the message's content comes from: its version, or for a draft (an unsaved version)
    the draft rendered now, since the draft keeps changing after the test."""
    if version.pk is not None:
        return {"template_version": version}
    return {
        "draft_test": True,
        "draft_of": version.template,
        "rcs_content": rendered.rcs_content,
        "brand_snapshot": version.brand_snapshot,
    }


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
    """send_at when it is 5 minutes to 35 days ahead of now (None stays None); SendRefused
    naming send_at otherwise."""
    if send_at is None:
        return None
    if send_at.tzinfo is None:
        raise SendRefused(
            "send_at",
            "invalid_send_at",
            _("Give send_at with a time zone: 2026-12-24T09:00:00+01:00."),
        )
    if not now + SEND_AT_MIN <= send_at <= now + SEND_AT_MAX:
        raise SendRefused(
            "send_at",
            "invalid_send_at",
            _(
                "send_at must be between %(min)d minutes and %(max)d days from now; to send "
                "at once, leave it out."
            )
            % {"min": int(SEND_AT_MIN.total_seconds() // 60), "max": SEND_AT_MAX.days},
        )
    return send_at


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


def new_message(prepared, contact, *, test_mode, external_id, source, provider=None):
    """The unsaved Message of a prepared send to contact, its channel predicted."""
    analysis = prepared.analysis
    message = Message(
        contact=contact,
        **_content_source(prepared.version, prepared.rendered),
        variables=prepared.rendered.values,
        sms_text=prepared.rendered.sms_text,
        sms_encoding=analysis.encoding if analysis else "",
        sms_segments=analysis.segments if analysis else 0,
        traffic_type=prepared.version.traffic_type,
        policy=prepared.policy,
        rcs_ttl_seconds=prepared.ttl,
        provider=provider or provider_name_for(test_mode),
        test_mode=test_mode,
        external_id=external_id or "",
        source=source,
    )
    message.intended_channel = predict_channel(message, contact)
    return message


def check_consent(contact, traffic_type):
    """SendRefused naming recipient when a promotion may not go to contact."""
    _check_consent(contact, traffic_type)


def submit_message(
    *,
    template_id: str,
    recipient: str,
    variables: dict[str, str],
    policy: str | None = None,
    rcs_ttl_seconds: int | None = None,
    external_id: str | None = None,
    test_mode: bool = False,
    source=Message.Source.API,
    provider: str | None = None,
    version=None,
    send_at: datetime | None = None,
) -> Message:
    """Validate, create the queued Message and send it once the transaction commits.

    test_mode picks the contact, its consent and capability (test or live data) and, unless
    provider names another, the simulator. version, when given, is sent in place of the
    published one: an unsaved version (editor.drafts.draft_version) makes a draft test.
    A promotion (other than an editor test) due outside the quiet-hours window is accepted
    and waits for it (status queued, reason quiet_hours, not_before); one to a contact at the
    frequency cap is accepted but suppressed (reason frequency_cap). With send_at (5 minutes
    to 35 days ahead) the message is scheduled: both rules are applied when it goes.
    Raises SendRefused naming the field at fault.
    """
    version = version or _published_version(template_id)
    send_at = check_send_at(send_at, timezone.now())
    policy, ttl = check_options(version, policy, rcs_ttl_seconds)
    prepared = prepare(version, recipient, variables, policy, ttl)
    with transaction.atomic():
        contact = get_or_create_contact(prepared.phone, test_mode=test_mode)
        _check_consent(contact, version.traffic_type)
        message = new_message(
            prepared,
            contact,
            test_mode=test_mode,
            external_id=external_id,
            source=source,
            provider=provider,
        )
        now = timezone.now()
        if send_at is not None:
            scheduling.schedule(message, send_at)
        else:
            # Quiet hours and the frequency cap: a promotion may wait for the window, or stop.
            promotion_rules.decide_at_submit(message, now)
        message.save()
        delay = job_delay(message, now)
        if delay is not False:
            jobs.enqueue("sending.tasks.send_message", message.pk, delay=delay)
    return message


def job_delay(message, now):
    """Seconds the send job of a new message waits (None: at once); False: it has no job
    (suppressed)."""
    if message.status == Message.Status.SCHEDULED:
        return scheduling.job_delay(message, now)
    if message.status == Message.Status.QUEUED:
        return promotion_rules.job_delay(message, now)
    return False


def submit_acknowledgement(
    contact, *, channel, provider, test_mode=False, external_id="", text=None
):
    """Queue the one message that answers a keyword (by default, confirms an opt-out), on the
    channel the keyword came from."""
    if text is None:
        with translation.override(settings.LANGUAGE_CODE):
            text = _("You will no longer receive our promotional messages.")
    analysis = sms.analyze(text)
    rcs = channel == Channel.RCS
    message = Message(
        contact=contact,
        rcs_content={"text": text} if rcs else None,
        sms_text=text,
        sms_encoding=analysis.encoding,
        sms_segments=analysis.segments,
        traffic_type=TrafficType.ACKNOWLEDGEMENT,
        policy=Message.Policy.RCS_WITH_FALLBACK if rcs else Message.Policy.SMS_ONLY,
        rcs_ttl_seconds=default_rcs_ttl(TrafficType.ACKNOWLEDGEMENT),
        provider=provider,
        test_mode=test_mode,
        external_id=external_id,
        source=Message.Source.ACKNOWLEDGEMENT,
    )
    with transaction.atomic():
        message.intended_channel = predict_channel(message, contact)
        message.save()
        jobs.enqueue("sending.tasks.send_message", message.pk)
    return message


@dataclass(frozen=True)
class CapabilityAnswer:
    """Whether one number can receive RCS, and how old that knowledge is."""

    number: str
    capable: bool | None
    checked_at: datetime | None = None
    cache_age_seconds: int | None = None
    error: str | None = None
    error_code: str | None = None


def _answer(number, capable, checked_at, now, error=None):
    age = None if checked_at is None else max(0, int((now - checked_at).total_seconds()))
    return CapabilityAnswer(number, capable, checked_at, age, error)


def check_capabilities(numbers: list[str], *, test_mode: bool = False) -> list[CapabilityAnswer]:
    """Answer for each number, in order: from the contact cache (≤ 31 days) or the provider.

    Only the contacts of the key's mode are read and written: a test key's check never
    creates or changes a live contact.
    """
    if len(numbers) > CAPABILITY_NUMBERS_MAX:
        raise ValueError(f"At most {CAPABILITY_NUMBERS_MAX} numbers a call.")
    now = timezone.now()
    parsed = []
    for raw in numbers:
        try:
            parsed.append((raw, normalize_phone(raw)))
        except InvalidNumber:
            parsed.append((raw, None))
    refused = {phone: check_destination(phone) for _raw, phone in parsed if phone}
    refused = {phone: refusal for phone, refusal in refused.items() if refusal}
    valid = list(dict.fromkeys(phone for _raw, phone in parsed if phone and phone not in refused))
    contacts = {
        contact.phone: contact
        for contact in Contact.objects.in_mode(test_mode).filter(phone__in=valid)
    }
    cached = {
        phone: contact
        for phone, contact in contacts.items()
        if contact.known_rcs_capable is not None
    }
    to_check = [phone for phone in valid if phone not in cached]
    checked, failure = {}, None
    provider_name = provider_name_for(test_mode)
    if to_check:
        try:
            checked = get_provider(provider_name).check_capabilities(to_check)
        except ProviderError as exc:
            # The provider's message can hold internals (a key file that does not parse): the
            # caller gets a generic answer, the log the detail.
            logger.warning("capability check through %s failed: %s", provider_name, exc.message)
            failure = _("The RCS provider could not answer; try again later.")
    if keeps_word_of(provider_name, test_mode=test_mode):
        _remember(checked, contacts, now, test_mode)
    elif checked:
        logger.info("%d simulated capability answers not cached: live data", len(checked))

    answers = []
    for raw, phone in parsed:
        if phone is None:
            answers.append(
                CapabilityAnswer(
                    raw, None, error=_("Not a valid phone number."), error_code="invalid_recipient"
                )
            )
        elif phone in refused:
            refusal = refused[phone]
            answers.append(
                CapabilityAnswer(phone, None, error=refusal.message, error_code=refusal.code)
            )
        elif phone in cached:
            contact = cached[phone]
            answers.append(_answer(phone, contact.rcs_capable, contact.rcs_checked_at, now))
        elif phone in checked:
            answers.append(_answer(phone, checked[phone], now, now))
        else:
            answers.append(_answer(phone, None, None, now, failure))
    return answers


def _remember(checked, contacts, now, test_mode):
    """Store fresh answers on the contacts, creating the contacts (of the mode) not seen before."""
    changed, new = [], []
    for phone, capable in checked.items():
        contact = contacts.get(phone) or Contact(phone=phone, test_mode=test_mode)
        contact.remember_capability(capable, now)
        (new if contact.pk is None else changed).append(contact)
    if changed:
        Contact.objects.bulk_update(changed, ["rcs_capable", "rcs_checked_at"], batch_size=500)
    if new:
        Contact.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
