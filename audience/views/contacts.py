"""The contacts screen: search, filters, counts, and bulk actions on the contacts selected or
on every contact matching the filters (live data unless ?mode=test)."""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.data_mode import shows_test_data
from audience import bulk
from audience.contact_forms import BulkActionForm, ContactFilterForm, counts
from audience.models import Contact, ContactList
from audience.services import get_or_create_list

PAGE_SIZE = 25
# How many of the contacts an action touches its confirmation names.
SAMPLE_SIZE = 5
UNDO_KEY = "audience.bulk_undo"


def contact_list(request):
    """The contacts of one mode, searched and filtered, with their counts and bulk actions."""
    test_mode = shows_test_data(request)
    form = ContactFilterForm(request.GET or None, test_mode=test_mode)
    matching = form.contacts()
    page = Paginator(form.newest_first(matching).prefetch_related("lists"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "counts": counts(matching),
        "has_contacts": Contact.objects.in_mode(test_mode).exists(),
        "filtered": form.filtered,
        "query": query.urlencode(),
        "test_data": test_mode,
        "lists": ContactList.objects.filter(test_mode=test_mode),
        "undo": _pending_undo(request, test_mode),
        "opt_out_max": bulk.OPT_OUT_MAX,
    }
    return render(request, "audience/contact_list.html", context)


def _pending_undo(request, test_mode):
    """The add-to-list or removal just done, shown once with its Undo button (the button
    still works from that page afterwards)."""
    undo = request.session.get(UNDO_KEY)
    if not undo or undo.get("test_mode") != test_mode or undo.get("shown"):
        return None
    request.session[UNDO_KEY] = {**undo, "shown": True}
    return undo


def _back(query):
    url = reverse("audience:contact_list")
    return f"{url}?{query}" if query else url


@require_POST
def contact_bulk(request):
    """Ask to confirm a bulk action with the number of contacts it touches, then do it."""
    query = request.POST.get("query", "")
    filters = QueryDict(query)
    test_mode = filters.get("mode") == "test"
    form = BulkActionForm(request.POST, test_mode=test_mode)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(query))
    data = form.cleaned_data
    filter_form = ContactFilterForm(filters, test_mode=test_mode)
    if data.get("scope") == "all":
        contacts = filter_form.contacts()
    else:
        contacts = Contact.objects.in_mode(test_mode).filter(public_id__in=data["ids"])
    total = contacts.count()
    action = data["action"]
    if action == BulkActionForm.OPT_OUT and total > bulk.OPT_OUT_MAX:
        messages.error(
            request,
            _("Opt out at most %(max)s contacts at once: narrow the filters.")
            % {"max": bulk.OPT_OUT_MAX},
        )
        return redirect(_back(query))
    if not data.get("confirmed"):
        context = {
            "form": form,
            "action": action,
            "total": total,
            "target": data.get("list_obj"),
            "new_list_name": data.get("new_list_name", "").strip(),
            "query": query,
            "test_data": test_mode,
            "ids": data["ids"],
            "sample": list(filter_form.newest_first(contacts)[:SAMPLE_SIZE]),
        }
        return render(request, "audience/bulk_confirm.html", context)
    if action == BulkActionForm.ADD:
        _add(request, data, contacts, test_mode)
    elif action == BulkActionForm.REMOVE:
        _remove(request, data["list_obj"], contacts, test_mode)
    else:
        done, already = bulk.opt_out(contacts, operator=request.user.get_username())
        text = ngettext(
            "%(count)s contact opted out of every channel.",
            "%(count)s contacts opted out of every channel.",
            done,
        ) % {"count": done}
        if already:
            text += " " + ngettext(
                "%(count)s had already opted out.", "%(count)s had already opted out.", already
            ) % {"count": already}
        messages.success(request, text)
    return redirect(_back(query))


def _add(request, data, contacts, test_mode):
    created = False
    contact_list = data.get("list_obj")
    if contact_list is None:
        contact_list, created = get_or_create_list(
            data["new_list_name"].strip(), test_mode=test_mode
        )
    added, at = bulk.add_to_list(contact_list, contacts)
    request.session[UNDO_KEY] = {
        "kind": "add",
        "list": str(contact_list.public_id),
        "name": contact_list.name,
        "at": at.isoformat(),
        "count": added,
        "created_list": created,
        "test_mode": test_mode,
    }


def _remove(request, contact_list, contacts, test_mode):
    removed, memberships = bulk.remove_with_undo(contact_list, contacts)
    if memberships is None:
        request.session.pop(UNDO_KEY, None)
        messages.success(
            request,
            ngettext(
                "%(count)s contact taken off “%(list)s”.",
                "%(count)s contacts taken off “%(list)s”.",
                removed,
            )
            % {"count": removed, "list": contact_list.name},
        )
        return
    request.session[UNDO_KEY] = {
        "kind": "remove",
        "list": str(contact_list.public_id),
        "name": contact_list.name,
        "memberships": memberships,
        "count": removed,
        "test_mode": test_mode,
    }


@require_POST
def contact_bulk_undo(request):
    """Undo the last add-to-list (take off exactly the contacts it added) or removal from a list
    (put them back as they were)."""
    undo = request.session.pop(UNDO_KEY, None)
    query = request.POST.get("query", "")
    if not undo:
        messages.info(request, _("Nothing to undo."))
        return redirect(_back(query))
    contact_list = ContactList.objects.filter(
        public_id=undo["list"], test_mode=undo["test_mode"]
    ).first()
    if contact_list is None:
        messages.error(request, _("The list “%(list)s” no longer exists.") % {"list": undo["name"]})
        return redirect(_back(query))
    if undo.get("kind") == "remove":
        restored = bulk.restore_memberships(contact_list, undo["memberships"])
        text = ngettext(
            "Undone: %(count)s contact put back on “%(list)s”.",
            "Undone: %(count)s contacts put back on “%(list)s”.",
            restored,
        ) % {"count": restored, "list": contact_list.name}
    else:
        removed = bulk.undo_add_to_list(contact_list, datetime.fromisoformat(undo["at"]))
        if undo["created_list"] and not contact_list.memberships.exists():
            contact_list.delete()
        text = ngettext(
            "Undone: %(count)s contact taken off “%(list)s” again.",
            "Undone: %(count)s contacts taken off “%(list)s” again.",
            removed,
        ) % {"count": removed, "list": undo["name"]}
    messages.success(request, text)
    return redirect(_back(query))
