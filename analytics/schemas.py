"""Request and response schemas of the conversions API, with the examples /api/docs shows."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from iso4217 import Currency
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from analytics.conversions import Conversion
from api.types import ONE_LINE, Line, one_of
from audience.schemas import Moment

# Up to a trillion in any currency: more is a bug in the caller (cents sent as units twice).
VALUE_MAX = Decimal("999999999999")
# Four decimal places: the most any ISO 4217 currency has (CLF, UYW); each currency's own
# number is checked by the service.
VALUE_PLACES = 4
# The enums, listed inline in the OpenAPI schema.
MatchedBy = one_of(Conversion.MatchedBy)
AttributedBy = one_of(Conversion.AttributedBy)
ConversionSource = one_of(Conversion.Source)
EXAMPLE_CONVERSION_ID = "0b8f3c9e-52a1-4f0e-8d5c-1f2e3d4c5b6a"
EXAMPLE_CLICK_ID = "2LKcbXq7Hz0pT4mWv9"
CONVERSION_REQUEST = {
    "click_id": EXAMPLE_CLICK_ID,
    "order_id": "CMD-2025-10412",
    "value": "89.90",
    "currency": "EUR",
}


def _currency(value):
    code = value.strip().upper()
    try:
        currency = Currency(code)
    except ValueError:
        currency = None
    # Precious metals, fund units and XXX have no minor unit: they are not what an order costs.
    if currency is None or currency.exponent is None:
        raise PydanticCustomError(
            "currency",
            "Give an ISO 4217 currency code such as EUR; “{value}” is not one.",
            {"value": value},
        )
    return code


def _not_a_bool(value):
    # true is a JSON boolean, not 1: pydantic's Decimal would refuse it, say so plainly.
    if isinstance(value, bool):
        raise PydanticCustomError("decimal_type", "Give an amount as a number or a text: 89.90.")
    return value


def _order_id(value):
    value = value.strip()
    if not value:
        raise PydanticCustomError("string_too_short", "Give the order's id.")
    return value


CurrencyCode = Annotated[
    str, Field(min_length=3, max_length=3), ONE_LINE, AfterValidator(_currency)
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_not_a_bool),
    Field(ge=0, le=VALUE_MAX, decimal_places=VALUE_PLACES, allow_inf_nan=False),
]
ClickId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z]+$")]


class ConversionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    click_id: ClickId | None = Field(
        None,
        description=(
            "The `rl_click` parameter Relais added to the landing URL (kept by "
            "relais-conversion.js). The most precise way to name who bought."
        ),
    )
    message_id: UUID | None = Field(
        None, description="The id of a message the send API answered, when you know it."
    )
    # The length limit sits inside the Annotated: on the union it would lose its "string_" error.
    phone: Annotated[str, Field(max_length=40), ONE_LINE] | None = Field(
        None,
        description="The buyer's phone number (E.164 or French national), when nothing else.",
    )
    order_id: Annotated[Line, AfterValidator(_order_id)] = Field(
        ...,
        max_length=200,
        description="Your order's id: one conversion per order id, however often it is posted.",
    )
    value: Amount = Field(
        ...,
        description=(
            'What the order earned, as a JSON number or a decimal text ("89.90", exact); '
            "0 or more, at most the currency's decimal places."
        ),
    )
    currency: CurrencyCode = Field(..., description="ISO 4217 code: EUR, USD, XPF…")
    occurred_at: Moment | None = Field(
        None, description="When the order was placed, with a time zone; now when omitted."
    )


class ConversionOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_CONVERSION_ID,
                    "order_id": "CMD-2025-10412",
                    "value": "89.90",
                    "currency": "EUR",
                    "occurred_at": "2025-06-03T20:14:05Z",
                    "matched_by": "click_id",
                    "attributed_by": "click",
                    "message_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "clicked_at": "2025-06-02T18:40:12Z",
                    "source": "api",
                    "test_mode": True,
                    "created": "2025-06-03T20:14:06Z",
                }
            ]
        }
    )

    id: UUID
    order_id: str
    value: str = Field(..., description="The amount as an exact decimal text.")
    currency: str
    occurred_at: datetime
    matched_by: MatchedBy | None = Field(
        None,
        description=(
            "How the buyer was recognised: click_id, message_id or phone; null when the "
            "identifier given named nobody Relais knows (the conversion is kept, unattributed)."
        ),
    )
    attributed_by: AttributedBy | None = Field(
        None,
        description=(
            "click (a message clicked within the click window), delivery (a message delivered "
            "within the delivery window, not clicked) or null (no message earned it)."
        ),
    )
    message_id: UUID | None = Field(None, description="The message credited, or null.")
    clicked_at: datetime | None = Field(None, description="The click credited, or null.")
    source: ConversionSource = Field(..., description="api, or the shop connector that saw it.")
    test_mode: bool
    created: datetime
