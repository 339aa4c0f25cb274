"""The Django admin as Relais' admins see it: branded, sections in order, technical ones hidden."""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy

# Sections for developers (job queues, sign-in records, permission groups): superusers only.
# Whole apps by label, single models as "app_label.ModelName".
TECHNICAL = ("django_rq", "axes", "auth.Group")
# The order of the sections on the index; sections not named follow, alphabetically.
SECTION_ORDER = ("editor", "audience", "sending", "api", "auth")


def is_technical(model):
    """Return whether model belongs to a section only superusers see."""
    return model._meta.app_label in TECHNICAL or model._meta.label in TECHNICAL


def _superusers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _guard(patterns):
    """Wrap every view of patterns (and of the patterns they include) in _superusers_only."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _superusers_only(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _guard(pattern.url_patterns)
    return patterns


class SuperusersOnly:
    """Mixed into a registered ModelAdmin: hidden from, and refused to, non-superusers.

    The URLs are guarded too, since some (django-rq's queue pages) check only is_staff.
    """

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def get_urls(self):
        return _guard(super().get_urls())


class RelaisAdminSite(admin.AdminSite):
    """Relais' admin site: its name, the app's mark and colours, the sections in working order."""

    site_header = gettext_lazy("Relais administration")
    site_title = gettext_lazy("Relais administration")
    index_title = gettext_lazy("Brands, templates, API keys and users")
    enable_nav_sidebar = True

    def hide_technical_sections(self):
        """Re-register the technical models' admins so only superusers see or reach them."""
        for model, model_admin in list(self._registry.items()):
            if is_technical(model) and not isinstance(model_admin, SuperusersOnly):
                guarded = type(
                    f"SuperusersOnly{type(model_admin).__name__}",
                    (SuperusersOnly, type(model_admin)),
                    {},
                )
                self.unregister(model)
                self.register(model, guarded)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)

        def position(app):
            label = app["app_label"]
            known = label in SECTION_ORDER
            return (not known, SECTION_ORDER.index(label) if known else 0, app["name"].lower())

        return sorted(app_list, key=position)
