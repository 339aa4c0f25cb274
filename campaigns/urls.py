from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("audience/", views.contact_list, name="contact_list"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
]
