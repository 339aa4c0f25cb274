from django.urls import path

from analytics import views, webhooks

app_name = "analytics"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("webhooks/<slug:provider>/", webhooks.webhook_receive, name="webhook"),
]
