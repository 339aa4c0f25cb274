"""Step 2 of a batch: route, check consent, render and count the ceiling, for a whole batch.

The template version is compiled once per process (versions never change); each message
only fills its values in. Messages that cannot go are finished here, and every message is
written back in one bulk update, with its lease (the claim locked it and wrote nothing) and
its SMS text (so a later fallback or a per-message retry has it).
"""

import functools
from dataclasses import dataclass

from audience.destinations import check_destination, destination_country
from audience.imports.phones import PhoneChecker
from editor.models import TemplateVersion
from messaging import sms
from messaging.content_errors import ContentError
from messaging.fields import fit
from messaging.providers.base import BaseProvider
from messaging.providers.normalized import Channel
from messaging.variables import VariableError, compile_content, compile_text, resolve
from sending.models import Message
from sending.services import ceiling, tracking
from sending.services.batch_policy import apply_rules
from sending.services.bulk_sql import bulk_set
from sending.services.claim_sql import take_lease
from sending.services.rcs_bodies import RcsBodies
from sending.services.routing import provider_for, route
from sending.signals import MessageEvent, announce, change_of, listening

Status = Message.Status
Reason = Message.Reason

WRITTEN = [
    "sms_text",
    "sms_encoding",
    "sms_segments",
    "links",
    "fallback_reason",
    "status",
    "status_reason",
    "status_detail",
    "failed_at",
    "locked_until",
    "not_before",
    "send_tries",
    "updated",
]


@dataclass
class Prepared:
    """A claimed message ready for its provider call on one channel."""

    message: Message
    channel: Channel
    provider: BaseProvider
    rcs_content: dict | None = None


@dataclass(frozen=True)
class CompiledVersion:
    declared: list
    rcs: object
    sms: object | None


def compiled_version(version):
    """The version compiled, once per process: a published version never changes.

    Keyed by id and publication time, not id alone: a database may hand a deleted version's
    id to a new one (SQLite reuses the highest rowid), which must not get the old content.
    """
    return compiled(version.pk, version.published_at)


@functools.lru_cache(maxsize=64)
def compiled(version_id, published_at):
    """compiled_version's cache; call that instead."""
    version = TemplateVersion.objects.get(pk=version_id)
    return CompiledVersion(
        declared=version.declared_variables(),
        rcs=compile_content(version.rcs_content),
        sms=compile_text(version.sms_fallback) if version.sms_fallback else None,
    )


class Destinations:
    """Each number's destination refusal (or None) and country, worked out once per batch.

    The destination check, quiet hours and the hourly ceiling all need the country, and each
    parsed the number again (a third of prepare's time, profiled). French mobiles in E.164
    take the import's fast path (the numbering plan's own patterns, the same answer as
    phonenumbers); any other number is parsed once.
    """

    def __init__(self):
        self.checker = PhoneChecker()
        self.answers = {}

    def look(self, phone):
        """(DestinationRefused or None, country code)."""
        answer = self.answers.get(phone)
        if answer is None:
            if self.checker.fast(phone) == phone:
                answer = (None, "FR")
            else:
                refusal = check_destination(phone)
                answer = (refusal, refusal.country if refusal else destination_country(phone))
            self.answers[phone] = answer
        return answer

    def refusal(self, phone):
        return self.look(phone)[0]

    def country(self, phone):
        return self.look(phone)[1]


def prepare(dispatch, messages, now, until):
    """Take the lease (until) of messages locked by claim_sql.lock_batch and prepare them;
    writes both in one UPDATE and returns the Prepared ones, in id order."""
    version = compiled_version(dispatch.template_version)
    ready = []
    # The RCS content validated once for the batch when its variables allow it, and one body
    # per distinct set of values (defaults, fixed values) in any case.
    rcs_bodies = RcsBodies(version.rcs)
    places = Destinations()
    for message in take_lease(messages, now=now, until=until):
        # The dispatch's version, loaded once: no query per message for it.
        message.template_version = dispatch.template_version
        item = _prepare_one(message, version, rcs_bodies, places)
        if item is not None:
            ready.append(item)
    ready = apply_rules(dispatch, ready, now, country_of=places.country)
    held = _count_ceiling(ready, now, places.country)
    bulk_set(Message, [message for message in messages if message.pk not in held], WRITTEN)
    if listening():
        announce(change_of(m, MessageEvent.FAILED) for m in messages if m.status == Status.FAILED)
    return [item for item in ready if item.message.pk not in held]


def _prepare_one(message, version, rcs_bodies, places):
    contact = message.contact
    # Contacts reach a campaign however they entered the table (admin, an old import), so the
    # destination rules the send API applies at the door are applied here again.
    if refusal := places.refusal(contact.phone):
        message.finish(Status.SUPPRESSED, Reason.DESTINATION_REFUSED, refusal.message)
        return None
    rcs_provider = provider_for(message, Channel.RCS)
    try:
        values = resolve(version.declared, message.variables or {})
        if version.sms and not message.sms_text:
            message.sms_text = version.sms.render(values)
            analysis = sms.analyze(message.sms_text)
            message.sms_encoding, message.sms_segments = analysis.encoding, analysis.segments
    except VariableError as exc:
        message.finish(Status.FAILED, Reason.REFUSED, exc)
        return None
    decision = route(message, contact, rcs_provider is not None)
    if decision.channel is None:
        message.finish(Status.FAILED, decision.failure)
        return None
    channel = decision.channel
    if decision.fallback_reason and not message.fallback_reason:
        message.fallback_reason = decision.fallback_reason
    # Consent on the channel chosen (the claim already dropped those with none at all).
    if message.is_promotion and not contact.allows_promotions(channel):
        reason = Reason.OPTED_OUT if contact.is_opted_out(channel) else Reason.NO_CONSENT
        message.finish(Status.SUPPRESSED, reason)
        return None
    if channel == Channel.SMS and not message.sms_text:
        message.finish(Status.FAILED, Reason.NO_SMS_TEXT)
        return None
    provider = rcs_provider if channel == Channel.RCS else provider_for(message, channel)
    if provider is None:
        message.finish(Status.FAILED, Reason.NO_SMS_PROVIDER)
        return None
    rcs_content = None
    if channel == Channel.RCS:
        try:
            rcs_content = rcs_bodies.body(values)
        except (ContentError, VariableError) as exc:
            message.finish(Status.FAILED, Reason.REFUSED, fit(Message, "status_detail", str(exc)))
            return None
    rcs_content = tracking.track(message, rcs_content, values)
    return Prepared(message, channel, provider, rcs_content)


def _count_ceiling(ready, now, country_of=destination_country):
    """Count the batch against each destination country's hour; returns the ids held."""
    by_country = {}
    for item in ready:
        country = country_of(item.message.contact.phone)
        by_country.setdefault((country, item.message.test_mode), []).append(item)
    start = ceiling.window_start(now)
    held = set()
    for (country, test_mode), items in by_country.items():
        count = ceiling._count(country, test_mode, start, len(items))
        if count <= ceiling.ceiling_for(country):
            for item in items:
                if item.message.status_reason == Reason.COUNTRY_PAUSED:
                    item.message.status_reason = item.message.status_detail = ""
            continue
        # Over the ceiling: give the count back and let each message be counted (or held)
        # one by one, exactly as the per-message pipeline does.
        ceiling._count(country, test_mode, start, -len(items))
        for item in items:
            if ceiling.hold(item.message, now):
                held.add(item.message.pk)
    return held
