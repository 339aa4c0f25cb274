"""Saved segments: dynamic rules over the contacts of one mode."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy

from audience.models.contacts import Contact


def empty_rules():
    """The rules of a new segment: every contact of its mode."""
    return {"match": "all", "conditions": []}


class SegmentQuerySet(models.QuerySet):
    def in_mode(self, test_mode):
        """Segments of one mode: over test contacts (test_mode=True) or live ones."""
        return self.filter(test_mode=bool(test_mode))


class Segment(models.Model):
    """A saved set of rules over the contacts of one mode; dynamic: contacts() asks the
    database each time, so a send reaches whoever matches then (audience.segments)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(gettext_lazy("name"), max_length=100)
    description = models.TextField(gettext_lazy("description"), blank=True)
    # {"match": "all"|"any", "conditions": [...]}: see audience.segments for the kinds.
    rules = models.JSONField(gettext_lazy("rules"), default=empty_rules)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated = models.DateTimeField(gettext_lazy("updated"), auto_now=True)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("segment")
        verbose_name_plural = gettext_lazy("segments")
        ordering = ["name"]
        constraints = [
            # One segment by a name in each mode, as for lists: a name says which one.
            models.UniqueConstraint(
                fields=["name", "test_mode"], name="audience_segment_name_mode"
            ),
        ]

    def __str__(self):
        return self.name

    def contacts(self):
        """The contacts of the segment's mode its rules match now, as one query (a lazy
        QuerySet: counting it or iterating it asks the database then)."""
        from audience.segments import compile_rules

        return Contact.objects.in_mode(self.test_mode).filter(
            compile_rules(self.rules, self.test_mode, segment=self)
        )


# A chunk takes seconds even paced; an audit silent for this long has lost its worker.
