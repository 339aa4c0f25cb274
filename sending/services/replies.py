"""The answers to START and HELP replies: one SMS or RCS message per inbound event."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from audience import services as audience
from editor.models import Brand
from sending.models import Event, Message
from sending.services.modes import inbound_mode
from sending.services.webhooks import acknowledge_opt_out


def acknowledge_opt_in(event_id):
    """Confirm a START that gave consent back; a second run sends nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        # Worded without "ê" ("vous êtes"), which would make the SMS UCS-2.
        text = _("You will receive our promotional messages again. Reply STOP to stop them.")
    return acknowledge_opt_out(event_id, text=text)


def answer_help(event_id):
    """Answer a HELP with the help text of the sender's brand; a second run sends nothing."""
    event = Event.objects.select_related("message__contact").filter(pk=event_id).first()
    if event is None:
        return None
    return acknowledge_opt_out(event_id, text=help_text(brand_of_sender(event)))


def brand_of_sender(event):
    """The brand of the latest templated message to the sender, else the first brand, or None."""
    phone = audience.normalize_phone(event.number or event.message.contact.phone)
    test_mode = inbound_mode(event.message, event.provider)
    # A draft test names its template through draft_of, a sent version through its version.
    latest = (
        Message.objects.filter(contact__phone=phone, contact__test_mode=test_mode)
        .filter(Q(template_version__isnull=False) | Q(draft_of__isnull=False))
        .select_related("template_version__template__brand", "draft_of__brand")
        .order_by("-created", "-pk")
        .first()
    )
    if latest is not None:
        template = latest.template_version.template if latest.template_version else latest.draft_of
        return template.brand
    return Brand.objects.order_by("name", "pk").first()


def help_text(brand):
    """The brand's HELP reply, or a default naming the brand and the STOP and START words."""
    if brand is not None and brand.help_reply.strip():
        return brand.help_reply.strip()
    with translation.override(settings.LANGUAGE_CODE):
        if brand is None:
            return _("Reply STOP to stop our promotional messages, START to get them again.")
        return _(
            "%(brand)s: reply STOP to stop our promotional messages, START to get them again."
        ) % {"brand": brand.name}
