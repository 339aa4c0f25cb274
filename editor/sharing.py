"""Read-only share links of a template's preview: signed, expiring, revocable, no account."""

from datetime import timedelta

from django.core import signing
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editor.models import MessageTemplate

# Long enough for a manager or a client to look during a working week; a new link is one
# click away.
SHARE_MAX_AGE = timedelta(days=7)
_SALT = "editor.sharing"


class ShareLinkError(Exception):
    """A share link that shows nothing: `status` is the HTTP answer, `message` says why."""

    status = 404
    message = _("This link is not valid. Ask the person who shared it for a new one.")


class LinkExpired(ShareLinkError):
    status = 410
    message = _("This preview link has expired (links last 7 days). Ask for a new one.")


class LinkRevoked(ShareLinkError):
    status = 410
    message = _("This preview link was turned off by its team. Ask for a new one.")


def _signer():
    return signing.TimestampSigner(salt=_SALT)


def share_token(template):
    """A token that shows template's preview to anyone holding it, for SHARE_MAX_AGE."""
    return _signer().sign_object({"t": template.pk, "g": template.share_generation})


def share_expiry(now=None):
    """When a link made now stops working."""
    return (now or timezone.now()) + SHARE_MAX_AGE


def template_for_token(token):
    """The template a share token shows; raise a ShareLinkError saying why it shows nothing."""
    try:
        data = _signer().unsign_object(token, max_age=SHARE_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise ShareLinkError from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("t", "g")):
        raise ShareLinkError
    queryset = MessageTemplate.objects.select_related("brand", "brand__logo")
    template = queryset.filter(pk=data["t"]).first()
    if template is None:
        raise ShareLinkError
    if data["g"] != template.share_generation or template.status == template.Status.ARCHIVED:
        raise LinkRevoked
    return template


def revoke_share_links(template):
    """Turn off every share link of template made so far."""
    MessageTemplate.objects.filter(pk=template.pk).update(
        share_generation=F("share_generation") + 1
    )
    template.refresh_from_db(fields=["share_generation"])
