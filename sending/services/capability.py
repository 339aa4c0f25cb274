"""Answering whether numbers can receive RCS (POST /api/v1/capabilities): from the contact
cache when it is fresh, from the provider otherwise."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audience.destinations import check_destination
from audience.models import Contact
from audience.services import InvalidNumber, normalize_phone
from messaging.providers import get_provider
from messaging.providers.modes import provider_name_for
from messaging.providers.normalized import ProviderError
from sending.services.modes import keeps_word_of

CAPABILITY_NUMBERS_MAX = 10_000

logger = logging.getLogger(__name__)


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
