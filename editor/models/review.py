"""Review events: who submitted, approved, sent back or withdrew a template, and when."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from editor.models.templates import MessageTemplate
from editor.models.versions import TemplateVersion


class ReviewEventQuerySet(models.QuerySet):
    def latest_per_template(self):
        """The newest event of each template, as a subquery on a MessageTemplate queryset."""
        return self.filter(template=OuterRef("pk")).order_by("-created", "-pk")


class ReviewEvent(models.Model):
    """One step of a template's review; the newest one is where the review stands."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", gettext_lazy("Submitted for review")
        APPROVED = "approved", gettext_lazy("Approved and published")
        SENT_BACK = "sent_back", gettext_lazy("Sent back")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")

    template = models.ForeignKey(
        MessageTemplate,
        verbose_name=gettext_lazy("template"),
        on_delete=models.CASCADE,
        related_name="review_events",
    )
    action = models.CharField(gettext_lazy("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_events",
    )
    # The submitter's note, or the approver's comment (required when sending back).
    comment = models.TextField(gettext_lazy("comment"), blank=True)
    # MessageTemplate.fingerprint() when submitted: approving publishes only that content.
    fingerprint = models.CharField(max_length=64, editable=False)
    version = models.ForeignKey(
        TemplateVersion,
        verbose_name=gettext_lazy("version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_events",
    )
    created = models.DateTimeField(gettext_lazy("at"), default=timezone.now)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("review event")
        verbose_name_plural = gettext_lazy("review events")
        ordering = ["-created", "-pk"]
        # Serves "the newest event of this template" (the review state, the queue).
        indexes = [models.Index(fields=["template", "-created"], name="editor_review_latest")]

    def __str__(self):
        return f"{self.template.slug}: {self.get_action_display()}"


def with_review_action(queryset):
    """Annotate each template of queryset with review_action, its newest review event's action."""
    latest = ReviewEvent.objects.latest_per_template()
    return queryset.annotate(review_action=Subquery(latest.values("action")[:1]))
