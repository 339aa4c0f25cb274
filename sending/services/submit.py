"""Accepting a message to send (the API's entry point): the checked request becomes a queued
Message whose send job is enqueued once the transaction commits; and the acknowledgement of a
keyword. The checks are in submit_checks, the capability answers in capability; both are
importable from here too."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jobs
from audience.services import get_or_create_contact
from messaging import sms
from messaging.providers.modes import provider_name_for
from messaging.providers.normalized import Channel, TrafficType
from sending.models import Message
from sending.services import promotion_rules, scheduling
from sending.services.capability import (
    CAPABILITY_NUMBERS_MAX,
    CapabilityAnswer,
    check_capabilities,
)
from sending.services.routing import default_rcs_ttl, predict_channel
from sending.services.submit_checks import (
    SendRefused,
    check_consent,
    check_options,
    check_send_at,
    prepare,
    published_version,
)

__all__ = [
    "CAPABILITY_NUMBERS_MAX",
    "CapabilityAnswer",
    "SendRefused",
    "check_capabilities",
    "check_consent",
    "check_options",
    "check_send_at",
    "job_delay",
    "new_message",
    "prepare",
    "published_version",
    "submit_acknowledgement",
    "submit_message",
]


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
    frequency cap is accepted but suppressed (reason frequency_cap). With send_at (up to 35
    days ahead; at most 5 minutes past means now) the message is scheduled: both rules are
    applied when it goes.
    Raises SendRefused naming the field at fault.
    """
    version = version or published_version(template_id)
    send_at = check_send_at(send_at, timezone.now())
    policy, ttl = check_options(version, policy, rcs_ttl_seconds)
    prepared = prepare(version, recipient, variables, policy, ttl)
    with transaction.atomic():
        contact = get_or_create_contact(prepared.phone, test_mode=test_mode)
        check_consent(contact, version.traffic_type)
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
