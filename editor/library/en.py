"""The library's templates in English (same messages as fr.py, English variable names)."""

from editor.library.blocks import (
    calendar,
    card,
    carousel,
    dial,
    open_url,
    reply,
    standalone,
    text,
    variable,
    view_location,
)

CUSTOMER_SERVICE = "+33199001234"  # a number ARCEP reserves for fiction
UNSUBSCRIBE = reply("Unsubscribe", "STOP")

TEMPLATES = {
    "flash_sale": {
        "name": "Sale: 40% off",
        "description": "Flash sale with an image, three buttons to the offers and an opt-out.",
        "rcs_content": standalone(
            card(
                image="flash_sale_en.jpg",
                height="MEDIUM",
                title="{{ first_name }}, our sale is on: 40% off!",
                description=(
                    "For {{ offer_duration }} only: 40% off a selection of women's and men's "
                    "fashion. Free delivery over €50."
                ),
                buttons=[
                    open_url("Women's sale", "https://shop.example/sale/women"),
                    open_url("Men's sale", "https://shop.example/sale/men"),
                    open_url("See all offers", "https://shop.example/sale"),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "{{ first_name }}, SALE: 40% off women's and men's fashion for {{ offer_duration }} "
            "only! All offers: https://shop.example/sale"
        ),
        "variables": [variable("first_name", "Emma"), variable("offer_duration", "48 hours")],
    },
    "order_confirmation": {
        "name": "Order confirmation",
        "description": "Order confirmed: tracking, invoice and a call to customer service.",
        "rcs_content": standalone(
            card(
                image="order.jpg",
                height="SHORT",
                title="Order {{ order_number }} confirmed",
                description=(
                    "Thank you {{ first_name }}! We have received your order of {{ amount }}. "
                    "Estimated delivery: {{ delivery_date }}."
                ),
                buttons=[
                    open_url("Track my order", "https://shop.example/orders/{{ order_number }}"),
                    open_url(
                        "View my invoice", "https://shop.example/orders/{{ order_number }}/invoice"
                    ),
                    dial("Customer service", CUSTOMER_SERVICE),
                ],
            )
        ),
        "sms_fallback": (
            "Thank you {{ first_name }}! Your order {{ order_number }} of {{ amount }} is "
            "confirmed. Estimated delivery: {{ delivery_date }}. "
            "Track it: https://shop.example/orders/{{ order_number }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("order_number", "MR-10482"),
            variable("amount", "€89.90"),
            variable("delivery_date", "Thursday 14 May"),
        ],
    },
    "delivery": {
        "name": "Delivery today",
        "description": "The parcel is coming: tracking, change the time slot, call the courier.",
        "rcs_content": standalone(
            card(
                image="delivery.jpg",
                height="MEDIUM",
                title="Your parcel arrives today",
                description=(
                    "Hello {{ first_name }}, parcel {{ parcel_number }} will be delivered today "
                    "between {{ time_slot }}."
                ),
                buttons=[
                    open_url(
                        "Track my parcel", "https://shop.example/tracking/{{ parcel_number }}"
                    ),
                    open_url(
                        "Change time slot", "https://shop.example/tracking/{{ parcel_number }}/slot"
                    ),
                    dial("Call the courier", "{{ courier_phone }}"),
                ],
            )
        ),
        "sms_fallback": (
            "Hello {{ first_name }}, parcel {{ parcel_number }} arrives today between "
            "{{ time_slot }}. Track it or change the slot: "
            "https://shop.example/tracking/{{ parcel_number }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("parcel_number", "6A12345678901"),
            variable("time_slot", "2pm and 4pm"),
            variable("courier_phone", "+33639981234"),
        ],
    },
    "back_in_stock": {
        "name": "Back in stock",
        "description": "The item they waited for is available again, with a direct link.",
        "rcs_content": standalone(
            card(
                image="back_in_stock.jpg",
                height="MEDIUM",
                title="{{ product }} is back!",
                description=(
                    "Good news {{ first_name }}: the item you were waiting for is available "
                    "again. Stock is limited."
                ),
                buttons=[
                    open_url("I want it", "https://shop.example/products/{{ product_ref }}"),
                    open_url("See the collection", "https://shop.example/new"),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "Good news {{ first_name }}: {{ product }} is back in stock, in limited quantities. "
            "https://shop.example/products/{{ product_ref }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("product", "The Lina cardigan"),
            variable("product_ref", "lina-cardigan"),
        ],
    },
    "product_launch": {
        "name": "Collection launch",
        "description": "Carousel of three products, each with an image and a button.",
        "rcs_content": carousel(
            [
                card(
                    image="launch_1.jpg",
                    title="The Lumière collection",
                    description=(
                        "{{ first_name }}, be the first to discover our new lamps, "
                        "designed in Lyon."
                    ),
                    buttons=[open_url("Discover", "https://shop.example/lumiere-collection")],
                ),
                card(
                    image="launch_2.jpg",
                    title="Aube lamp",
                    description="A soft, warm light for the living room.",
                    buttons=[
                        open_url("See the Aube lamp", "https://shop.example/products/aube-lamp")
                    ],
                ),
                card(
                    image="launch_3.jpg",
                    title="Zénith lamp",
                    description="Adjustable, for reading and working.",
                    buttons=[
                        open_url("See the Zénith lamp", "https://shop.example/products/zenith-lamp")
                    ],
                ),
            ],
            chips=[UNSUBSCRIBE],
        ),
        "sms_fallback": (
            "{{ first_name }}, be the first to discover the Lumière collection: our new lamps "
            "designed in Lyon. https://shop.example/lumiere-collection"
        ),
        "variables": [variable("first_name", "Emma")],
    },
    "abandoned_cart": {
        "name": "Abandoned basket",
        "description": "A reminder of the waiting basket, with a link to complete the order.",
        "rcs_content": standalone(
            card(
                image="cart.jpg",
                height="MEDIUM",
                title="{{ first_name }}, your basket is waiting",
                description=(
                    "{{ product }} is still in your basket. Complete your order before it "
                    "sells out."
                ),
                buttons=[
                    open_url("Complete my order", "https://shop.example/basket/{{ basket_id }}"),
                    dial("Any questions?", CUSTOMER_SERVICE),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "{{ first_name }}, {{ product }} is still waiting in your basket. Complete your "
            "order: https://shop.example/basket/{{ basket_id }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("product", "The Aube lamp"),
            variable("basket_id", "k7f3a2"),
        ],
    },
    "reengagement": {
        "name": "Win back an inactive customer",
        "description": "A short message with a promo code and suggested replies.",
        "rcs_content": text(
            "{{ first_name }}, we miss you! 💙 Enjoy 15% off your next order with the code "
            "{{ promo_code }}, valid until {{ end_date }}.",
            chips=[
                open_url("Treat myself", "https://shop.example/?code={{ promo_code }}"),
                open_url("See what's new", "https://shop.example/new"),
                UNSUBSCRIBE,
            ],
        ),
        "sms_fallback": (
            "{{ first_name }}, we miss you! 15% off your next order with the code "
            "{{ promo_code }}, until {{ end_date }}: https://shop.example/?code={{ promo_code }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("promo_code", "COMEBACK15"),
            variable("end_date", "31 May"),
        ],
    },
    "appointment": {
        "name": "Appointment reminder",
        "description": "A reminder with add-to-calendar, directions and a link to move it.",
        "rcs_content": standalone(
            card(
                image="appointment.jpg",
                height="SHORT",
                title="Reminder: appointment on {{ appointment_date }} at {{ appointment_time }}",
                description=(
                    "Hello {{ first_name }}, we look forward to seeing you at our {{ store }} "
                    "store. Can't make it? Move your appointment in one tap."
                ),
                buttons=[
                    calendar(
                        "Add to my calendar",
                        start="{{ starts_at }}",
                        end="{{ ends_at }}",
                        title="Appointment at our {{ store }} store",
                        description="{{ store_address }}",
                    ),
                    view_location("Get directions", "{{ store_address }}"),
                    open_url(
                        "Move my appointment",
                        "https://shop.example/appointments/{{ appointment_ref }}",
                    ),
                ],
            )
        ),
        "sms_fallback": (
            "Reminder: appointment on {{ appointment_date }} at {{ appointment_time }} at our "
            "{{ store }} store. To move it: https://shop.example/appointments/{{ appointment_ref }}"
        ),
        "variables": [
            variable("first_name", "Emma"),
            variable("appointment_date", "Tuesday 12 May"),
            variable("appointment_time", "3:30pm"),
            variable("store", "Lyon Confluence"),
            variable("store_address", "112 cours Charlemagne, 69002 Lyon"),
            variable("starts_at", "2026-05-12T15:30:00+02:00"),
            variable("ends_at", "2026-05-12T16:00:00+02:00"),
            variable("appointment_ref", "r8k2m"),
        ],
    },
}
