"""How a template's status reads in the template list and the editor header."""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from editor.models import MessageTemplate, ReviewEvent
from editor.models.review import with_review_action

# A published template being edited: its live version still goes out.
CHANGED = "changed"
# Submitted on a brand that requires approval: locked until an approver decides.
REVIEW = "review"


@dataclass(frozen=True)
class StatusBadge:
    """The badge's key (its colour, data-status) and its words."""

    key: str
    label: str


def with_live_version(queryset):
    """Annotate each template of queryset with live_version, the number of its latest version,
    and review_action, where its review stands (what status_badge() reads)."""
    return with_review_action(queryset).annotate(live_version=Max("versions__number"))


def status_badge(template):
    """The badge of template: once published, edits read "Published · unpublished changes
    (vN live)", never "Draft", since version N is still what goes out; a submitted one
    "Waiting for approval"."""
    if not hasattr(template, "review_action"):
        event = template.review_events.first() if template.pk else None
        template.review_action = event.action if event else None
    if template.review_action == ReviewEvent.Action.SUBMITTED:
        return StatusBadge(REVIEW, _("Waiting for approval"))
    if template.status != MessageTemplate.Status.DRAFT:
        return StatusBadge(template.status, str(template.get_status_display()))
    # Annotated by with_live_version() in lists; looked up for a single template.
    live = getattr(template, "live_version", None)
    if not hasattr(template, "live_version"):
        version = template.current_version
        live = version.number if version is not None else None
    if live is None:
        return StatusBadge(template.status, str(template.get_status_display()))
    label = _("Published · unpublished changes (v%(number)d live)") % {"number": live}
    return StatusBadge(CHANGED, label)
