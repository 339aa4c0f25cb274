from django.urls import path

from editor import views

app_name = "editor"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
]
