from django.urls import path

from analytics import redirect, views

app_name = "analytics"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("l/<str:code>", redirect.follow, name="follow"),
]
