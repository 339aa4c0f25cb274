"""The preview shared by link: read-only, for someone without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editor.preview import preview_template
from editor.sharing import (
    ShareLinkError,
    revoke_share_links,
    share_expiry,
    share_token,
    template_for_token,
)
from editor.views.state import get_template


def share_context(request, template):
    """The share link of template's preview as the editor offers it, and when it expires."""
    url = request.build_absolute_uri(redirect("editor:shared_preview", share_token(template)).url)
    return {"share_url": url, "share_expires": share_expiry()}


# Shown to whoever holds the link, signed in or not; never cached, so a revoked link stops.
@login_not_required
@never_cache
def shared_preview(request, token):
    """Both phones and the SMS of the template the token names, or why the link shows nothing."""
    try:
        template = template_for_token(token)
    except ShareLinkError as exc:
        response = render(
            request, "editor/share_unavailable.html", {"message": exc.message}, status=exc.status
        )
    else:
        context = {"template": template, "preview": preview_template(template)}
        response = render(request, "editor/shared_preview.html", context)
    # The link is private to whoever it was given to: no search engine keeps it.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def share_revoke(request, pk):
    """Turn off every share link of the template made so far."""
    template = get_template(pk)
    revoke_share_links(template)
    messages.success(
        request, _("Every earlier share link is turned off. The link below is a new one.")
    )
    return redirect("editor:template_edit", pk)
