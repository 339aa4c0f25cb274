"""Refuse every write from a read-only user, whatever view it targets."""

from django.shortcuts import render
from django.urls import Resolver404, resolve

from accounts.roles import can_approve, can_edit

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Writes every signed-in person may make, whatever their role.
ALWAYS_ALLOWED = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "set_language",
    # Authenticated by the provider's signature, not by a session.
    "sending:webhook",
}
# The writes of a review: an Approver who does not edit may still approve or send back.
APPROVER_WRITES = {"editor:review_approve", "editor:review_send_back"}


class ReadOnlyRoleMiddleware:
    """Answer 403 with a clear page when a Viewer (or a user without a role) tries to write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name in ALWAYS_ALLOWED or match.namespace in ("admin", "api"):
            return self.get_response(request)
        if can_edit(request.user):
            return self.get_response(request)
        if match.view_name in APPROVER_WRITES and can_approve(request.user):
            return self.get_response(request)
        return render(request, "accounts/read_only.html", status=403)
