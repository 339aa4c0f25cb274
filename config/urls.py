from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api import site as api
from config import docs, views
from editor.media_urls import media_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The language switch must work on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls()),
    path("api/docs", api.docs, name="api_docs"),
    # The guides of docs/, as served by this version (the API schema links to them).
    path("docs/<slug:name>.md", docs.docs_page, name="docs_page"),
    path("", include("editor.urls")),
    path("", include("audience.urls")),
    path("", include("sending.urls")),
    path("", include("campaigns.urls")),
    path("", include("analytics.urls")),
    path("", include("integrations.urls")),
]
# Uploaded images are public: RCS providers fetch them by URL.
urlpatterns += media_urlpatterns()
