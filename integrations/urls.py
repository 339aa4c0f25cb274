from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("settings/webhooks/", views.endpoint_list, name="endpoint_list"),
    path("settings/webhooks/new/", views.endpoint_create, name="endpoint_create"),
    path("settings/webhooks/<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("settings/webhooks/<int:pk>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path(
        "settings/webhooks/<int:pk>/rotate-secret/", views.endpoint_rotate, name="endpoint_rotate"
    ),
    path("settings/webhooks/<int:pk>/toggle/", views.endpoint_toggle, name="endpoint_toggle"),
    path("settings/webhooks/<int:pk>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path(
        "settings/webhooks/deliveries/<int:pk>/resend/",
        views.delivery_resend,
        name="delivery_resend",
    ),
]

# The shop connectors' screens and their public webhook.
from integrations.shops.urls import urlpatterns as shop_urlpatterns  # noqa: E402

urlpatterns += shop_urlpatterns
