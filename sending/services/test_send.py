"""A test of a template sent from the editor to a marketer's phone: of its published version,
or of its current draft, which is never published for it."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audience.models import ConsentEntry
from audience.services import get_or_create_contact, record_consent
from editor.drafts import draft_version
from editor.models import TestRecipient
from messaging.variables import VariableError, sample_values
from sending.models import Message
from sending.services.submit import submit_message


def send_test(template, phone, *, user, policy=None, consent=False, save_as=None, draft=False):
    """Send template to phone (E.164) with its sample values: the published version, or with
    draft=True the current draft as it would be published (no version is made).

    A test is test data (its contact, consent and what the send teaches about RCS) but goes
    through the configured provider, to reach a real phone. consent records the phone's
    opt-in first (promotions need one); save_as, when not None, keeps the number in the user's
    test numbers under that label. Raises SendRefused, or editor.services.PublishError when
    the draft could not be published (nothing is sent).
    """
    version = draft_version(template) if draft else template.current_version
    try:
        values = sample_values(version.declared_variables())
    except VariableError:
        values = {}
    with transaction.atomic():
        if consent:
            _record_test_consent(get_or_create_contact(phone, test_mode=True), user)
        message = submit_message(
            template_id=template.slug,
            recipient=phone,
            variables=values,
            policy=policy or None,
            source=Message.Source.EDITOR_TEST,
            test_mode=True,
            provider=settings.MESSAGING_PROVIDER,
            # The published version is looked up as for any send (archived ones refused).
            version=version if draft else None,
        )
    if save_as is not None:
        _remember_number(user, phone, save_as)
    return message


def _record_test_consent(contact, user):
    if contact.allows_promotions():
        return
    record_consent(
        contact,
        ConsentEntry.Kind.OPT_IN,
        test_mode=True,
        source=ConsentEntry.Source.ADMIN,
        operator=user.get_username(),
        wording=_("Test phone: %(user)s confirmed in the editor that it receives test messages.")
        % {"user": user.get_username()},
    )


def _remember_number(user, phone, label):
    try:
        with transaction.atomic():
            TestRecipient.objects.create(user=user, phone=phone, label=label)
    except IntegrityError:
        TestRecipient.objects.filter(user=user, phone=phone).update(label=label)
