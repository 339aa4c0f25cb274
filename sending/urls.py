from django.urls import path

from sending import views, webhooks

app_name = "sending"

urlpatterns = [
    # The editor's test panel keeps its address under campaigns/.
    path("campaigns/test-send/<int:template_pk>/", views.test_send, name="test_send"),
    path(
        "campaigns/test-send/status/<uuid:public_id>/",
        views.test_send_status,
        name="test_send_status",
    ),
    path("webhooks/<slug:provider>/", webhooks.webhook_receive, name="webhook"),
    # A provider configured without the final slash: a POST cannot be redirected to it.
    path("webhooks/<slug:provider>", webhooks.webhook_receive),
]
