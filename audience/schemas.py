"""Request and response schemas of the contacts and lists API, with the examples /api/docs shows."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email, validate_ipv46_address
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Strict
from pydantic_core import PydanticCustomError

from api.types import IN_UTC, ONE_LINE, Line, MultiLine, StrictInt, one_of
from audience.models import Consent, ConsentEntry

# How many contacts, ids or phones one call may carry.
BATCH_MAX = 1000
ATTRIBUTES_MAX = 50
EXAMPLE_CONTACT_ID = "3b241101-e2bb-4255-8caf-4136c566a962"
EXAMPLE_LIST_ID = "9a5f4c3e-1f0a-4d8e-b7d2-6c0e3f1a2b44"
OPT_IN_WORDING = "J'accepte de recevoir les offres de Maison Relais par SMS et RCS."
CONTACT_REQUEST = {
    "phone": "+33612345601",
    "first_name": "Marie",
    "language": "fr",
    "attributes": {"city": "Lyon", "basket_value": 84.5},
    "consent": {
        "status": "opt_in",
        "channel": "all",
        "source": "web_form",
        "wording": OPT_IN_WORDING,
        "collected_at": "2025-06-01T18:02:11Z",
        "ip": "203.0.113.9",
    },
}

# The enums, listed inline in the OpenAPI schema.
ConsentKind = one_of(ConsentEntry.Kind)
ConsentScope = one_of(ConsentEntry.Scope)
ConsentSource = one_of(ConsentEntry.Source)
# What a caller may claim: STOP replies, buttons, shops and erasures are recorded by Relais.
ConsentSourceIn = one_of(ConsentEntry.Source, only=("api", "web_form", "import", "admin", "other"))
ConsentState = one_of(Consent)


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("email", "Give a valid email address.") from None
    return value


def _ip(value: str) -> str:
    try:
        validate_ipv46_address(value)
    except DjangoValidationError:
        raise PydanticCustomError("ip_address", "Give an IPv4 or IPv6 address.") from None
    return value


def _text_only(value):
    # A JSON string only: an integer would otherwise pass as a timestamp.
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "Give a date and time as an ISO 8601 text.")
    return value


Email = Annotated[str, Field(max_length=254), ONE_LINE, AfterValidator(_email)]
IpAddress = Annotated[str, Field(max_length=45), ONE_LINE, AfterValidator(_ip)]
# fr, en, fr-CA, pt-BR: the language to write to this person in.
Language = Annotated[
    str, Field(max_length=15, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"), ONE_LINE
]
Moment = Annotated[AwareDatetime, BeforeValidator(_text_only), IN_UTC]
StrictFloat = Annotated[float, Strict(), Field(allow_inf_nan=False)]
AttributeName = Annotated[str, Field(min_length=1, max_length=64), ONE_LINE]
AttributeValue = (
    Annotated[bool, Strict()]
    | StrictInt
    | StrictFloat
    | Annotated[str, Field(max_length=1000), ONE_LINE]
    | None
)


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ConsentKind = Field(..., description="opt_in or opt_out.")
    channel: ConsentScope = Field("all", description="The channels it covers.")
    source: ConsentSourceIn = Field("api", description="Where it was collected.")
    wording: MultiLine = Field(
        "",
        max_length=2000,
        description=(
            "The sentence the person agreed to, as shown to them: the proof. Required for opt_in."
        ),
    )
    collected_at: Moment | None = Field(
        None, description="When it was given (ISO 8601 with a time zone); now when omitted."
    )
    ip: IpAddress | None = Field(None, description="The address it was given from, if known.")


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    phone: Line = Field(
        ...,
        max_length=40,
        description="E.164 (+33612345678) or French national (06 12 34 56 78): the contact's key.",
    )
    first_name: Annotated[str, Field(max_length=100), ONE_LINE] | None = None
    last_name: Annotated[str, Field(max_length=100), ONE_LINE] | None = None
    email: Email | None = None
    language: Language | None = Field(None, description="A language tag: fr, en, fr-CA…")
    attributes: dict[AttributeName, AttributeValue] = Field(
        default_factory=dict,
        max_length=ATTRIBUTES_MAX,
        description=(
            "Free attributes (city, last purchase date…): text, numbers or true/false, "
            "merged into the contact's; null removes one."
        ),
    )
    consent: ConsentIn | None = Field(None, description="An opt-in or opt-out to record with it.")


class ContactsBulkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    # Each item is checked on its own, so one bad contact does not refuse the others.
    contacts: list[dict] = Field(
        ...,
        min_length=1,
        max_length=BATCH_MAX,
        description="Up to 1,000 contacts, each as `POST /api/v1/contacts` takes one.",
    )


class ChannelConsentOut(Schema):
    status: ConsentState = Field(..., description="opt_in, opt_out or none (never asked).")
    since: datetime | None = Field(..., description="When the deciding entry was given.")


class ConsentOut(Schema):
    sms: ChannelConsentOut
    rcs: ChannelConsentOut


class ListRefOut(Schema):
    id: UUID
    name: str


class ContactOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_CONTACT_ID,
                    "phone": "+33612345601",
                    "first_name": "Marie",
                    "last_name": "",
                    "email": "",
                    "language": "fr",
                    "attributes": {"city": "Lyon", "basket_value": 84.5},
                    "lists": [],
                    "consent": {
                        "sms": {"status": "opt_in", "since": "2025-06-01T18:02:11Z"},
                        "rcs": {"status": "opt_in", "since": "2025-06-01T18:02:11Z"},
                    },
                    "rcs_capable": None,
                    "rcs_checked_at": None,
                    "test_mode": True,
                    "created": "2025-06-02T09:30:00Z",
                    "updated": "2025-06-02T09:30:00Z",
                }
            ]
        }
    )

    id: UUID
    phone: str
    first_name: str
    last_name: str
    email: str
    language: str
    attributes: dict
    lists: list[ListRefOut]
    consent: ConsentOut
    rcs_capable: bool | None = Field(
        ..., description="Known RCS capability (checked in the last 31 days), else null."
    )
    rcs_checked_at: datetime | None
    test_mode: bool
    created: datetime
    updated: datetime


class ConsentEntryOut(Schema):
    status: ConsentKind
    channel: ConsentScope
    source: ConsentSource
    wording: str
    collected_at: datetime
    ip: str | None
    operator: str = Field(..., description="Who recorded it: a user, or an API key's name.")
    recorded: datetime


class ContactDetailOut(ContactOut):
    consent_history: list[ConsentEntryOut] = Field(
        ..., description="The consent ledger, newest first: the latest entry decides."
    )


class ContactSearchOut(Schema):
    results: list[ContactOut]
    next: str | None = Field(
        None,
        description=(
            "The URL of the next page of contacts (the same query with its `cursor`), or null "
            "on the last page and when searching by phone."
        ),
    )


class ItemErrorOut(Schema):
    field: str
    code: str
    message: str


class BulkResultOut(Schema):
    index: int
    status: Literal["created", "updated", "error"]
    contact: ContactOut | None
    errors: list[ItemErrorOut]


class ContactsBulkOut(Schema):
    created: int
    updated: int
    failed: int
    results: list[BulkResultOut]


class ListIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100), ONE_LINE]


class ListOut(Schema):
    id: UUID
    name: str
    size: int = Field(..., description="How many contacts are on it.")
    test_mode: bool
    created: datetime


class ListsOut(Schema):
    results: list[ListOut]


class ListAddIn(Schema):
    model_config = ConfigDict(extra="forbid")

    contact_ids: list[UUID] | None = Field(
        None, min_length=1, max_length=BATCH_MAX, description="Contacts' ids."
    )
    phones: list[Line] | None = Field(
        None,
        min_length=1,
        max_length=BATCH_MAX,
        description="Phone numbers; a number without a contact gets one (without consent).",
    )


class ListRemoveOut(Schema):
    removed: int = Field(..., description="Contacts taken off the list by this call.")
    not_on_list: int = Field(..., description="Contacts found that were not on the list.")
    errors: list[ItemErrorOut] = Field(
        ..., description="The ids or numbers not found, each named (`phones[3]`) with the reason."
    )


class ListAddOut(Schema):
    added: int = Field(..., description="Contacts put on the list by this call.")
    already_on_list: int
    errors: list[ItemErrorOut] = Field(
        ..., description="The ids or numbers left out, each named (`phones[3]`) with the reason."
    )
