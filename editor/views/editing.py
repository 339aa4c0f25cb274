"""The editor page: open a template, autosave it, publish it, read its versions."""

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editor import review
from editor.canvas import build_canvas
from editor.forms import state_of
from editor.models import Brand, MessageTemplate
from editor.preview import preview_version
from editor.services import ApprovalRequired, NothingToPublish, PublishError, publish_template
from editor.status import status_badge
from editor.views.media import known_media
from editor.views.preview import preview_context
from editor.views.review import review_context
from editor.views.share import share_context
from editor.views.state import (
    apply_state,
    changed_elsewhere,
    form_issues,
    get_template,
    is_read_only,
    publish_issues,
    read_revision,
    read_state,
    save_whole_state,
)
from messaging import content_rules as limits
from messaging.content import ensure_cta_ids


def _js_strings():
    """The sentences the editor's script shows, translated."""
    # One whole sentence per case: French cannot build "added to %s" from pieces that must
    # agree in gender and number with what they name.
    return {
        "saved": _("Saved"),
        "savedAt": _("Saved at %s"),
        "saving": _("Saving…"),
        "unsaved": _("Unsaved changes"),
        "notSaved": _("Not saved: %s"),
        "offline": _("Not saved: the server cannot be reached. Retrying…"),
        "leave": _("Your last changes are not saved yet."),
        "changedElsewhere": _("Not saved: changed elsewhere."),
        "blockAdded": {
            "text": _("Text added."),
            "image": _("Image added."),
            "card": _("Rich card added."),
            "carousel": _("Carousel added."),
        },
        "imageAdded": _("Image “%s” added."),
        "cardAdded": _("Card %s added to the carousel."),
        "buttonToCard": _("Buttons go to the card."),
        "buttonToCardN": _("Buttons go to card %s."),
        "buttonToChips": _("Buttons go to the suggestion chips."),
        "buttonAddedCard": _("Button added to the card."),
        "buttonAddedCardN": _("Button added to card %s."),
        "buttonAddedChips": _("Button added to the suggestion chips."),
        "moved": _("Moved."),
        "deleted": _("Deleted."),
        "deletedText": _("Text deleted."),
        "deletedImage": _("Image deleted."),
        "deletedCard": _("Card deleted."),
        "deletedCardN": _("Card %s deleted."),
        "deletedCarousel": _("Carousel deleted."),
        "deletedButton": _("Button deleted."),
        "deletedVariable": _("Variable deleted."),
        "imageRemoved": _("Image removed."),
        "undone": _("Undone."),
        "redone": _("Redone."),
        "nothingToUndo": _("Nothing to undo."),
        "nothingToRedo": _("Nothing to redo."),
        "oneBody": _(
            "A message holds one text, one card or one carousel: the text goes in the card's "
            "description."
        ),
        "imageCard": _("Choose the image of the card."),
        "imageCardN": _("Choose the image of card %s."),
        "fieldFirst": _("Click in a text field first, then insert the variable."),
        "uploading": _("Uploading the image…"),
        "publishing": _("Publishing…"),
        "failed": _("Something went wrong; try again."),
        "noVariables": _("No variable declared yet."),
        "insert": _("Insert %s"),
    }


# The page's script shows it after "Not saved: ".
WAITING = gettext_noop("the template waits for approval; withdraw the submission to change it.")


def _versions(template):
    return template.versions.select_related("published_by").order_by("-number")


# Never from the browser's cache: Back must not bring up an older draft that would then be
# saved over the newer one (the page's script also reloads a page the bfcache restores).
@never_cache
def template_edit(request, pk):
    """The editor: palette, canvas, SMS fallback and the iPhone and Android previews."""
    template = get_template(pk)
    read_only = is_read_only(request, template)
    # Buttons made outside the editor (admin, imports) get their click-tracking id now,
    # so the ids stay stable from the first autosave on.
    template.rcs_content = ensure_cta_ids(template.rcs_content or {})
    state = state_of(template)
    context = {
        **preview_context(template),
        "state": state,
        "canvas": build_canvas(template.rcs_content),
        "variables": template.variables or [],
        "read_only": read_only,
        "brands": Brand.objects.all(),
        "categories": MessageTemplate.Category.choices,
        "traffic_types": MessageTemplate.TrafficType.choices,
        "languages": MessageTemplate.Language.choices,
        "versions": _versions(template),
        **review_context(request, template),
        **share_context(request, template),
        "media": known_media(template.rcs_content),
        "strings": _js_strings(),
        "limits": {
            "label": limits.LABEL_MAX,
            "title": limits.TITLE_MAX,
            "description": limits.DESCRIPTION_MAX,
            "text": limits.TEXT_MAX,
            "card_buttons": limits.CARD_SUGGESTIONS_MAX,
            "chips": limits.CHIPS_MAX,
            "carousel_min": limits.CAROUSEL_MIN,
            "carousel_max": limits.CAROUSEL_MAX,
        },
    }
    return render(request, "editor/editor.html", context)


def _status(template):
    badge = status_badge(template)
    return {"status": badge.key, "status_label": badge.label}


@require_POST
def template_save(request, pk):
    """Autosave the posted state; fields that do not validate keep their saved value."""
    template = get_template(pk)
    if template.status == MessageTemplate.Status.ARCHIVED:
        return JsonResponse({"error": _("Restore the template before changing it.")}, status=409)
    if review.is_pending(template):
        return JsonResponse({"error": _(WAITING)}, status=409)
    state = read_state(request)
    based_on = read_revision(state)
    form = apply_state(template, state)
    fields = form.valid_fields()
    with transaction.atomic():
        if not template.claim_revision(based_on):
            return changed_elsewhere(template)
        if fields:
            template.save(update_fields=[*fields, "updated"])
    saved_at = formats.time_format(timezone.localtime(template.updated), "H:i")
    return JsonResponse(
        {
            **_status(template),
            "revision": template.revision,
            "saved_at": saved_at,
            "errors": form_issues(form),
        }
    )


@require_POST
def template_publish(request, pk):
    """Save the posted state and freeze it as a new version, or list what stops it."""
    template = get_template(pk)
    if template.status == MessageTemplate.Status.ARCHIVED:
        return JsonResponse({"error": _("Restore the template before publishing it.")}, status=409)
    if review.is_pending(template):
        return JsonResponse({"error": _("This template already waits for approval.")}, status=409)
    refusal = save_whole_state(template, read_state(request), _refused)
    if refusal is not None:
        return refusal
    try:
        version = publish_template(template, request.user)
        message = _("Version %(number)d published.") % {"number": version.number}
    except NothingToPublish as exc:
        version, message = exc.version, exc.messages[0]
    except ApprovalRequired as exc:
        return JsonResponse({"error": exc.messages[0]}, status=409)
    except PublishError as exc:
        return _refused(publish_issues(exc.message_dict, exc.content_issues))
    versions_html = render_to_string(
        "editor/_versions.html",
        {"template": template, "versions": _versions(template)},
        request=request,
    )
    return JsonResponse(
        {
            **_status(template),
            "revision": template.revision,
            "version": version.number,
            "message": message,
            "versions_html": versions_html,
        }
    )


def _refused(issues):
    message = ngettext(
        "Not published: fix the problem listed below.",
        "Not published: fix the %(count)d problems listed below.",
        len(issues),
    ) % {"count": len(issues)}
    return JsonResponse({"error": message, "issues": issues}, status=422)


def version_detail(request, pk, number):
    """A published version, read-only, in both phones."""
    template = get_template(pk)
    version = get_object_or_404(template.versions.select_related("published_by"), number=number)
    context = {
        "template": template,
        "version": version,
        "preview": preview_version(version),
        "versions": _versions(template),
    }
    return render(request, "editor/version_detail.html", context)
