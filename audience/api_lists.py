"""The lists API: list, create and delete static contact lists, put contacts on them and take
them off, by id or phone (mounted by api.site through audience.api). A key sees only the lists
of its mode."""

from uuid import UUID

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, BODY_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from audience import intake
from audience.models import Contact, ContactList, ListMembership
from audience.schemas import (
    EXAMPLE_CONTACT_ID,
    EXAMPLE_LIST_ID,
    ListAddIn,
    ListAddOut,
    ListIn,
    ListOut,
    ListRemoveOut,
    ListsOut,
)
from audience.services import (
    add_to_list,
    get_or_create_contact,
    get_or_create_list,
    remove_from_list,
)

lists_router = Router(tags=["lists"])
LIST_ID = Path(..., description="The list's id.", example=EXAMPLE_LIST_ID)
# The body of adding contacts to a list and of taking them off: the same two ways to name them.
MEMBERS_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "examples": {
                    "ids": {"value": {"contact_ids": [EXAMPLE_CONTACT_ID]}},
                    "phones": {"value": {"phones": ["+33612345601", "06 12 34 56 02"]}},
                }
            }
        }
    }
}


def _list_body(contact_list, size):
    return {
        "id": contact_list.public_id,
        "name": contact_list.name,
        "size": size,
        "test_mode": contact_list.test_mode,
        "created": contact_list.created,
    }


@lists_router.get(
    "",
    response={200: ListsOut, **AUTH_ERRORS},
    url_name="list_index",
    operation_id="list_index",
    summary="The contact lists, with their sizes",
)
def list_index(request):
    lists = ContactList.objects.filter(test_mode=request.auth.is_test).annotate(
        size=Count("memberships")
    )
    return Status(200, {"results": [_list_body(item, item.size) for item in lists]})


@lists_router.post(
    "",
    response={200: ListOut, 201: ListOut, **IDEMPOTENT_ERRORS},
    url_name="list_create",
    operation_id="list_create",
    summary="Create a list (or find it by name)",
    description="201 with a new list; 200 with the list of that name when it exists.",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"example": {"name": "Soldes été"}}}}
    },
)
@idempotent
def list_create(
    request, response: HttpResponse, payload: ListIn, idempotency_key: IdempotencyKey = None
):
    contact_list, created = get_or_create_list(payload.name, test_mode=request.auth.is_test)
    return Status(
        201 if created else 200, _list_body(contact_list, contact_list.memberships.count())
    )


@lists_router.post(
    "/{list_id}/contacts",
    response={200: ListAddOut, 404: Problem, **IDEMPOTENT_ERRORS},
    url_name="list_add_contacts",
    operation_id="list_add_contacts",
    summary="Put contacts on a list, by id or by phone number",
    description=(
        "Up to 1,000 `contact_ids` or `phones` (one of the two). A number without a contact "
        "gets one, without consent. Ids and numbers that cannot be added are listed in "
        "`errors`; the others are added."
    ),
    openapi_extra=MEMBERS_BODY,
)
@idempotent
def list_add_contacts(
    request,
    response: HttpResponse,
    payload: ListAddIn,
    list_id: str = LIST_ID,
    idempotency_key: IdempotencyKey = None,
):
    test_mode = request.auth.is_test
    contact_list = _find_list(request, list_id)
    _one_of_ids_or_phones(payload)
    if payload.contact_ids is not None:
        contacts, errors = _contacts_by_id(payload.contact_ids, test_mode)
    else:
        contacts, errors = _contacts_by_phone(payload.phones, test_mode)
    on_list = set(
        ListMembership.objects.filter(contact_list=contact_list, contact__in=contacts).values_list(
            "contact_id", flat=True
        )
    )
    added = add_to_list(contact_list, contacts, source=ListMembership.Source.API)
    body = {"added": added, "already_on_list": len(on_list), "errors": errors}
    return Status(200, body)


@lists_router.delete(
    "/{list_id}/contacts",
    response={200: ListRemoveOut, 404: Problem, **BODY_ERRORS, **AUTH_ERRORS},
    url_name="list_remove_contacts",
    operation_id="list_remove_contacts",
    summary="Take contacts off a list, by id or by phone number",
    description=(
        "Up to 1,000 `contact_ids` or `phones` (one of the two). The contacts stay, with their "
        "consent; only their place on this list goes. Ids and numbers without a contact are "
        "listed in `errors`. Repeating the call changes nothing more."
    ),
    openapi_extra=MEMBERS_BODY,
)
def list_remove_contacts(request, payload: ListAddIn, list_id: str = LIST_ID):
    test_mode = request.auth.is_test
    contact_list = _find_list(request, list_id)
    _one_of_ids_or_phones(payload)
    if payload.contact_ids is not None:
        contacts, errors = _contacts_by_id(payload.contact_ids, test_mode)
    else:
        contacts, errors = _contacts_by_phone(payload.phones, test_mode, create=False)
    removed = remove_from_list(
        contact_list, Contact.objects.filter(pk__in=[c.pk for c in contacts])
    )
    body = {"removed": removed, "not_on_list": len(contacts) - removed, "errors": errors}
    return Status(200, body)


@lists_router.delete(
    "/{list_id}",
    response={204: None, 404: Problem, **AUTH_ERRORS},
    url_name="list_delete",
    operation_id="list_delete",
    summary="Delete a list (not its contacts)",
    description="The contacts on it stay, with their consent and their other lists.",
)
def list_delete(request, list_id: str = LIST_ID):
    _find_list(request, list_id).delete()
    return Status(204, None)


def _find_list(request, list_id):
    try:
        return ContactList.objects.get(public_id=UUID(list_id), test_mode=request.auth.is_test)
    except (ValueError, ContactList.DoesNotExist):
        raise Http404 from None


def _one_of_ids_or_phones(payload):
    if (payload.contact_ids is None) == (payload.phones is None):
        raise ApiProblem(
            422,
            _("Invalid request"),
            _("Give either contact_ids or phones (one of the two)."),
            code="contact_ids_or_phones",
            field="contact_ids",
        )


def _contacts_by_id(contact_ids, test_mode):
    found = {
        contact.public_id: contact
        for contact in Contact.objects.in_mode(test_mode).filter(public_id__in=contact_ids)
    }
    errors = [
        {
            "field": f"contact_ids[{index}]",
            "code": "unknown_contact",
            "message": _("No contact has this id."),
        }
        for index, contact_id in enumerate(contact_ids)
        if contact_id not in found
    ]
    return list(found.values()), errors


def _contacts_by_phone(phones, test_mode, *, create=True):
    """The contacts of the numbers (created without consent when create), and the errors."""
    contacts, errors = {}, []
    existing = Contact.objects.in_mode(test_mode)
    for index, raw in enumerate(phones):
        try:
            phone = intake.check_phone(raw, f"phones[{index}]")
        except intake.ContactRefused as refused:
            errors.append(
                {"field": refused.field, "code": refused.code, "message": refused.message}
            )
            continue
        if phone in contacts:
            continue
        if create:
            contacts[phone] = get_or_create_contact(phone, test_mode=test_mode)
        elif (found := existing.filter(phone=phone).first()) is not None:
            contacts[phone] = found
        else:
            errors.append(
                {
                    "field": f"phones[{index}]",
                    "code": "unknown_contact",
                    "message": _("No contact has this number."),
                }
            )
    return list(contacts.values()), errors
