"""One contact's page: identity, attributes, lists, RCS capability, consent and its history,
the messages sent and their events; opt out, erase, export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audience import bulk
from audience.erasure import erase_contact
from audience.export import contact_export_json
from audience.models import CONSENT_COLUMNS, Contact
from audience.services import InvalidNumber, normalize_phone

# The newest messages shown; the export holds them all.
MESSAGES_SHOWN = 50


def _channels(contact):
    return [
        {
            "channel": channel,
            "status": getattr(contact, value_column),
            "since": getattr(contact, at_column),
        }
        for channel, (value_column, at_column) in CONSENT_COLUMNS.items()
    ]


def contact_detail(request, public_id, *, erase_error=None, status=200):
    """Everything about one contact, test or live (the page says which)."""
    contact = get_object_or_404(Contact, public_id=public_id)
    sent = (
        contact.messages.select_related("template_version__template", "draft_of")
        .prefetch_related("events")
        .order_by("-created")
    )
    shown = list(sent[: MESSAGES_SHOWN + 1])
    events = sorted(
        (event for message in shown[:MESSAGES_SHOWN] for event in message.events.all()),
        key=lambda event: event.occurred_at,
        reverse=True,
    )
    context = {
        "contact": contact,
        "consent": _channels(contact),
        # As pairs: a template would read an attribute named "items" instead of the method.
        "attributes": sorted(contact.attributes.items()),
        "ledger": contact.consent_entries.order_by("-occurred_at", "-pk"),
        "memberships": contact.memberships.select_related("contact_list").order_by("added"),
        "sent": shown[:MESSAGES_SHOWN],
        "more_messages": len(shown) > MESSAGES_SHOWN,
        "events": events,
        "erase_error": erase_error,
        "test_data": contact.test_mode,
        "list_url": _list_url(contact),
    }
    return render(request, "audience/contact_detail.html", context, status=status)


def _list_url(contact):
    url = reverse("audience:contact_list")
    return f"{url}?mode=test" if contact.test_mode else url


def contact_opt_out(request, public_id):
    """Opt the contact out of every channel, in the ledger under the signed-in user's name."""
    contact = get_object_or_404(Contact, public_id=public_id)
    if request.method == "POST":
        done, _already = bulk.opt_out(
            Contact.objects.filter(pk=contact.pk), operator=request.user.get_username()
        )
        if done:
            messages.success(request, _("Opted out of every channel. Only a new opt-in undoes it."))
        else:
            messages.info(request, _("This contact had already opted out of every channel."))
    return redirect("audience:contact_detail", public_id=contact.public_id)


def contact_erase(request, public_id):
    """Erase the contact once its number is typed again; the list then says it is done."""
    contact = get_object_or_404(Contact, public_id=public_id)
    if request.method != "POST":
        return redirect("audience:contact_detail", public_id=contact.public_id)
    typed = request.POST.get("confirm_phone", "")
    try:
        matches = normalize_phone(typed) == contact.phone
    except InvalidNumber:
        matches = False
    if not matches:
        error = _("Type the contact's number, %(phone)s, to erase it.") % {"phone": contact.phone}
        return contact_detail(request, public_id, erase_error=error, status=400)
    url = _list_url(contact)
    erase_contact(contact, operator=request.user.get_username())
    messages.success(
        request,
        _(
            "Contact %(phone)s erased: their data and messages are gone; an anonymised proof "
            "of their consent is kept."
        )
        % {"phone": contact.phone},
    )
    return redirect(url)


def contact_export(request, public_id):
    """Download all the contact's data as JSON (contact, lists, ledger, messages, events)."""
    contact = get_object_or_404(Contact, public_id=public_id)
    response = HttpResponse(contact_export_json(contact), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.public_id}.json"'
    return response
