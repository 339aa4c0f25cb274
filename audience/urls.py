from django.urls import path

from audience import views

app_name = "audience"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
]
