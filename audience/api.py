"""The contacts API: upsert contacts with their consent, read, find, erase (mounted by
api.site, with the lists of audience.api_lists). A test key reads and writes test data only,
a live key live data."""

from urllib.parse import urlencode
from uuid import UUID

import pydantic
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from api.idempotency import IdempotencyKey, idempotent
from api.problems import AUTH_ERRORS, IDEMPOTENT_ERRORS, ApiProblem, Problem
from api.types import Line
from api.validation import item_errors
from audience import intake
from audience.api_lists import lists_router
from audience.api_segments import segments_router
from audience.erasure import erase_contact
from audience.models import CONSENT_COLUMNS, Contact
from audience.paging import PAGE_DEFAULT, PAGE_MAX, InvalidCursor, contact_page
from audience.schemas import (
    CONTACT_REQUEST,
    EXAMPLE_CONTACT_ID,
    ConsentIn,
    ContactDetailOut,
    ContactIn,
    ContactOut,
    ContactsBulkIn,
    ContactsBulkOut,
    ContactSearchOut,
)

contacts_router = Router(tags=["contacts"])


def _operator(request):
    """Who records what this call writes, as the ledger keeps it: the API key's name."""
    return str(request.auth)


def _refused(refused):
    return ApiProblem(
        422, _("Contact refused"), refused.message, code=refused.code, field=refused.field
    )


def _contact_body(contact):
    consent = {
        str(channel): {
            "status": getattr(contact, value_column),
            "since": getattr(contact, at_column),
        }
        for channel, (value_column, at_column) in CONSENT_COLUMNS.items()
    }
    return {
        "id": contact.public_id,
        "phone": contact.phone,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "language": contact.language,
        "attributes": contact.attributes,
        "lists": [{"id": item.public_id, "name": item.name} for item in contact.lists.all()],
        "consent": consent,
        "rcs_capable": contact.known_rcs_capable,
        "rcs_checked_at": contact.rcs_checked_at,
        "test_mode": contact.test_mode,
        "created": contact.created,
        "updated": contact.updated,
    }


def _contact_detail(contact):
    history = [
        {
            "status": entry.kind,
            "channel": entry.channel,
            "source": entry.source,
            "wording": entry.wording,
            "collected_at": entry.occurred_at,
            "ip": entry.ip,
            "operator": entry.operator,
            "recorded": entry.created,
        }
        for entry in contact.consent_entries.order_by("-occurred_at", "-pk")
    ]
    return {**_contact_body(contact), "consent_history": history}


def _find_contact(request, contact_id):
    try:
        public_id = UUID(contact_id)
    except ValueError:
        raise Http404 from None
    contact = Contact.objects.in_mode(request.auth.is_test).filter(public_id=public_id).first()
    if contact is None:
        raise Http404
    return contact


PHONE_QUERY = Query(
    None, max_length=40, description="E.164 or French national format.", example="+33612345601"
)
LIMIT_QUERY = Query(PAGE_DEFAULT, ge=1, le=PAGE_MAX, description="Contacts per page (1–200).")
CURSOR_QUERY = Query(
    None, max_length=200, description="Where the page starts: the `cursor` of a `next` URL."
)
CONTACT_ID = Path(..., description="The contact's id.", example=EXAMPLE_CONTACT_ID)


@contacts_router.post(
    "",
    response={200: ContactOut, 201: ContactOut, **IDEMPOTENT_ERRORS},
    url_name="contact_upsert",
    operation_id="contact_upsert",
    summary="Create or update a contact, with its consent",
    description=(
        "Upserts the contact of a phone number (201 when created, 200 when it existed): the "
        "fields given replace the contact's, attributes are merged. With `consent`, records an "
        "opt-in (its `wording` is required: the proof) or an opt-out in the consent ledger. "
        "Safe to retry with an `Idempotency-Key`."
    ),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": CONTACT_REQUEST}}}},
)
@idempotent
def contact_upsert(
    request, response: HttpResponse, payload: ContactIn, idempotency_key: IdempotencyKey = None
):
    try:
        contact, created = intake.save_contact(
            payload.model_dump(exclude_unset=True),
            test_mode=request.auth.is_test,
            operator=_operator(request),
        )
    except intake.ContactRefused as refused:
        raise _refused(refused) from None
    response["Location"] = f"{request.path.rstrip('/')}/{contact.public_id}"
    return Status(201 if created else 200, _contact_body(contact))


@contacts_router.post(
    "/bulk",
    response={200: ContactsBulkOut, **IDEMPOTENT_ERRORS},
    url_name="contacts_bulk",
    operation_id="contacts_bulk",
    summary="Create or update up to 1,000 contacts",
    description=(
        "Each contact as `POST /api/v1/contacts` takes one, each checked and written on its "
        "own: the answer has one result per contact, in order, and a refused contact (its "
        "`errors` name the fields, e.g. `contacts[3].phone`) does not stop the others."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {"contacts": [CONTACT_REQUEST, {"phone": "06 12 34 56 02"}]}
                }
            }
        }
    },
)
@idempotent
def contacts_bulk(
    request,
    response: HttpResponse,
    payload: ContactsBulkIn,
    idempotency_key: IdempotencyKey = None,
):
    results = []
    for index, item in enumerate(payload.contacts):
        results.append(_bulk_one(request, index, item))
    counts = {
        status: sum(1 for result in results if result["status"] == status)
        for status in ("created", "updated", "error")
    }
    body = {
        "created": counts["created"],
        "updated": counts["updated"],
        "failed": counts["error"],
        "results": results,
    }
    return Status(200, body)


def _bulk_one(request, index, item):
    try:
        data = ContactIn.model_validate(item)
    except pydantic.ValidationError as invalid:
        errors = item_errors(invalid.errors(), "contacts", index)
        return {"index": index, "status": "error", "contact": None, "errors": errors}
    try:
        # Each contact on its own: a refusal halfway rolls back that contact only.
        with transaction.atomic():
            contact, created = intake.save_contact(
                data.model_dump(exclude_unset=True),
                test_mode=request.auth.is_test,
                operator=_operator(request),
                field_prefix=f"contacts[{index}].",
            )
    except intake.ContactRefused as refused:
        error = {"field": refused.field, "code": refused.code, "message": refused.message}
        return {"index": index, "status": "error", "contact": None, "errors": [error]}
    return {
        "index": index,
        "status": "created" if created else "updated",
        "contact": _contact_body(contact),
        "errors": [],
    }


@contacts_router.get(
    "",
    response={200: ContactSearchOut, 422: Problem, **AUTH_ERRORS},
    url_name="contact_search",
    operation_id="contact_search",
    summary="List the contacts, or find one by phone number",
    description=(
        "With `phone`, `results` holds the contact of this number, or nothing. Without it, "
        "the key's contacts a page at a time, oldest first: `next` is the URL of the next page "
        "(null on the last one)."
    ),
)
def contact_search(
    request,
    phone: Line | None = PHONE_QUERY,
    limit: int = LIMIT_QUERY,
    cursor: Line | None = CURSOR_QUERY,
):
    contacts = Contact.objects.in_mode(request.auth.is_test).prefetch_related("lists")
    if phone is not None:
        try:
            e164 = intake.check_phone(phone)
        except intake.ContactRefused as refused:
            raise _refused(refused) from None
        found = contacts.filter(phone=e164)
        return Status(200, {"results": [_contact_body(c) for c in found], "next": None})
    try:
        page, next_cursor = contact_page(contacts, limit=limit, cursor=cursor)
    except InvalidCursor:
        raise ApiProblem(
            422,
            _("Invalid request"),
            _("This cursor is not one a previous page gave; start again without it."),
            code="invalid_cursor",
            field="cursor",
        ) from None
    next_url = None
    if next_cursor is not None:
        query = urlencode({"limit": limit, "cursor": next_cursor})
        next_url = request.build_absolute_uri(f"{request.path}?{query}")
    return Status(200, {"results": [_contact_body(c) for c in page], "next": next_url})


@contacts_router.get(
    "/{contact_id}",
    response={200: ContactDetailOut, 404: Problem, **AUTH_ERRORS},
    url_name="contact_detail",
    operation_id="contact_detail",
    summary="Read a contact, its current consent and consent history",
)
def contact_detail(request, contact_id: str = CONTACT_ID):
    return Status(200, _contact_detail(_find_contact(request, contact_id)))


@contacts_router.delete(
    "/{contact_id}",
    response={204: None, 404: Problem, **AUTH_ERRORS},
    url_name="contact_erase",
    operation_id="contact_erase",
    summary="Erase a contact (right to erasure)",
    description=(
        "Deletes the contact, its list memberships, consent ledger and messages. What is kept: "
        "an anonymised proof of its consent (kind, channels, source, times, under a keyed hash "
        "of the number) ending with an opt-out at the time of erasure. See docs/api.md."
    ),
)
def contact_erase(request, contact_id: str = CONTACT_ID):
    erase_contact(_find_contact(request, contact_id), operator=_operator(request))
    return Status(204, None)


@contacts_router.post(
    "/{contact_id}/consents",
    response={201: ContactDetailOut, 404: Problem, **IDEMPOTENT_ERRORS},
    url_name="contact_consent_add",
    operation_id="contact_consent_add",
    summary="Record an opt-in or opt-out for a contact",
    description=(
        "Adds an entry to the contact's consent ledger. The latest entry by `collected_at` "
        "decides, so an entry collected before the current one is kept as proof but changes "
        "nothing."
    ),
    openapi_extra={
        "requestBody": {"content": {"application/json": {"example": CONTACT_REQUEST["consent"]}}}
    },
)
@idempotent
def contact_consent_add(
    request,
    response: HttpResponse,
    payload: ConsentIn,
    contact_id: str = CONTACT_ID,
    idempotency_key: IdempotencyKey = None,
):
    contact = _find_contact(request, contact_id)
    consent = payload.model_dump()
    try:
        intake.check_consent(consent, field="body")
    except intake.ContactRefused as refused:
        # Named as in this request's body, where the consent is the whole body.
        refused.field = refused.field.removeprefix("body.")
        raise _refused(refused) from None
    intake.add_consent(contact, consent, operator=_operator(request))
    return Status(201, _contact_detail(contact))


# Mounted by api.site under /api/v1/.
ROUTERS = [
    ("/contacts", contacts_router),
    ("/lists", lists_router),
    ("/segments", segments_router),
]
