"""The contacts screen's search and filters, and the form of its bulk actions."""

import re
from datetime import timedelta
from uuid import UUID

from django import forms
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audience.models import CAPABILITY_MAX_AGE, Consent, Contact, ContactList
from audience.services import InvalidNumber, normalize_phone

# What a phone search may look like: digits with spaces, dots, dashes, brackets, a leading +.
PHONE_LIKE = re.compile(r"^\+?[\d\s.\-()/]{2,}$")
# The country code of national numbers typed with their leading 0 (France, the first market).
NATIONAL_PREFIX = "+33"


def phone_needle(text):
    """What a typed phone number (whole or partial) looks like inside an E.164 number."""
    try:
        return normalize_phone(text)
    except InvalidNumber:
        pass
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return NATIONAL_PREFIX + digits[1:]
    return digits


# The screen's order, newest first, which the created index gives as it is read: the planner
# then reads it until a page is full, guessing from its statistics how far that is. For a searched
# name the guess is rough, and when few contacts match (the usual search: one person) it read the
# whole table through that index. While searching, the same order written as an expression the
# index cannot give makes it find the matches through the trigram indexes (migration 0012) and
# sort them, which reads no more than the counts shown beside the list read anyway.
NEWEST_FIRST = ("-created", "-pk")
SEARCHED_NEWEST_FIRST = ((F("created") + timedelta(0)).desc(), F("pk").desc())


def search(contacts, text):
    """Contacts whose phone contains the typed number (any form), or whose names or email
    contain every word typed. On PostgreSQL, trigram indexes serve words of three characters or
    more (migration audience 0012)."""
    text = text.strip()
    if not text:
        return contacts
    if PHONE_LIKE.match(text):
        return contacts.filter(phone__contains=phone_needle(text))
    for word in text.split():
        contacts = contacts.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return contacts


def rcs_known_capable(now=None):
    since = (now or timezone.now()) - CAPABILITY_MAX_AGE
    return Q(rcs_capable=True, rcs_checked_at__gte=since)


def rcs_known_not_capable(now=None):
    since = (now or timezone.now()) - CAPABILITY_MAX_AGE
    return Q(rcs_capable=False, rcs_checked_at__gte=since)


# Can receive promotions: opted in on at least one channel (a send then goes by that one).
PROMOTABLE = Q(sms_consent=Consent.OPT_IN) | Q(rcs_consent=Consent.OPT_IN)


def counts(contacts):
    """{total, promotable, rcs_capable} of contacts, in one query."""
    return contacts.aggregate(
        total=Count("pk"),
        promotable=Count("pk", filter=PROMOTABLE),
        rcs_capable=Count("pk", filter=rcs_known_capable()),
    )


class ContactFilterForm(forms.Form):
    """Search and filters of the contacts screen; every field is optional."""

    FIELDS = ("q", "sms", "rcs", "capable", "list", "language")
    YES, NO, UNKNOWN = "yes", "no", "unknown"

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    sms = forms.ChoiceField(
        label=gettext_lazy("SMS consent"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Consent.choices],
    )
    rcs = forms.ChoiceField(
        label=gettext_lazy("RCS consent"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Consent.choices],
    )
    capable = forms.ChoiceField(
        label=gettext_lazy("RCS capable"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            (YES, gettext_lazy("Yes")),
            (NO, gettext_lazy("No")),
            (UNKNOWN, gettext_lazy("Unknown")),
        ],
    )
    list = forms.ModelChoiceField(
        label=gettext_lazy("List"),
        required=False,
        queryset=ContactList.objects.none(),
        to_field_name="public_id",
        empty_label=gettext_lazy("All lists"),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, *args, test_mode, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_mode = test_mode
        self.fields["list"].queryset = ContactList.objects.filter(test_mode=test_mode)
        languages = (
            Contact.objects.in_mode(test_mode)
            .exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        self.fields["language"].choices = [
            ("", gettext_lazy("Any")),
            *((code, code) for code in languages),
        ]

    def contacts(self):
        """The contacts of the form's mode that match its search and filters."""
        contacts = Contact.objects.in_mode(self.test_mode)
        data = self.cleaned_data if self.is_valid() else {}
        contacts = search(contacts, data.get("q") or "")
        if data.get("sms"):
            contacts = contacts.filter(sms_consent=data["sms"])
        if data.get("rcs"):
            contacts = contacts.filter(rcs_consent=data["rcs"])
        capable = data.get("capable")
        if capable == self.YES:
            contacts = contacts.filter(rcs_known_capable())
        elif capable == self.NO:
            contacts = contacts.filter(rcs_known_not_capable())
        elif capable == self.UNKNOWN:
            contacts = contacts.exclude(rcs_known_capable() | rcs_known_not_capable())
        if data.get("list"):
            contacts = contacts.filter(memberships__contact_list=data["list"])
        if data.get("language"):
            contacts = contacts.filter(language=data["language"])
        return contacts

    @property
    def searching(self):
        """True when a search is given."""
        return bool(self.is_valid() and self.cleaned_data.get("q", "").strip())

    def newest_first(self, contacts):
        """contacts newest first, ordered so that the form's search stays on its indexes."""
        return contacts.order_by(*(SEARCHED_NEWEST_FIRST if self.searching else NEWEST_FIRST))

    @property
    def filtered(self):
        """True when a search or a filter is given."""
        return any(self.data.get(name) for name in self.FIELDS)

    @property
    def narrowed(self):
        """True when a filter other than the search is given (the folded filters then open)."""
        return any(self.data.get(name) for name in self.FIELDS if name != "q")


class BulkActionForm(forms.Form):
    """One bulk action on the selected contacts, or on every contact matching the filters."""

    ADD, REMOVE, OPT_OUT = "add_to_list", "remove_from_list", "opt_out"
    NEW_LIST = "new"

    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            (ADD, gettext_lazy("Add to list")),
            (REMOVE, gettext_lazy("Remove from list")),
            (OPT_OUT, gettext_lazy("Opt out")),
        ],
    )
    # Public ids of the contacts ticked; empty with scope=all.
    ids = forms.CharField(required=False, widget=forms.MultipleHiddenInput)
    scope = forms.ChoiceField(
        choices=[("selected", "selected"), ("all", "all")], required=False, initial="selected"
    )
    # A list's public id, or NEW_LIST with new_list_name.
    target_list = forms.CharField(label=gettext_lazy("List"), required=False)
    new_list_name = forms.CharField(
        label=gettext_lazy("New list name"), required=False, max_length=100
    )
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, test_mode, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_mode = test_mode
        self.lists = ContactList.objects.filter(test_mode=test_mode)

    def clean_ids(self):
        # Anything but a contact's id cannot name one of the ticked rows: left out.
        return [value for value in self.data.getlist("ids") if _is_uuid(value)]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if data.get("scope") != "all" and not data.get("ids"):
            raise forms.ValidationError(gettext_lazy("Select at least one contact."))
        if action in (self.ADD, self.REMOVE):
            data["list_obj"] = self._target_list(data, allow_new=action == self.ADD)
        return data

    def _target_list(self, data, *, allow_new):
        target = data.get("target_list") or ""
        if allow_new and target == self.NEW_LIST:
            name = (data.get("new_list_name") or "").strip()
            if not name:
                self.add_error("new_list_name", gettext_lazy("Give the new list a name."))
            return None
        found = self.lists.filter(public_id=target).first() if _is_uuid(target) else None
        if found is None:
            self.add_error("target_list", gettext_lazy("Choose a list."))
        return found


def _is_uuid(value):
    try:
        UUID(value)
    except (TypeError, ValueError):
        return False
    return True
