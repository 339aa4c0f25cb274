from django.urls import path

from campaigns import views, views_test_send

app_name = "campaigns"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/test-send/<int:template_pk>/", views_test_send.test_send, name="test_send"),
    path(
        "campaigns/test-send/status/<uuid:public_id>/",
        views_test_send.test_send_status,
        name="test_send_status",
    ),
]
