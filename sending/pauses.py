"""SendingPause: a country past its hourly ceiling (sending/services/ceiling.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy


class SendingPauseQuerySet(models.QuerySet):
    def active(self, now=None):
        """Pauses holding messages now: their hour is not over and nobody lifted them."""
        return self.filter(lifted_at__isnull=True, until__gt=now or timezone.now())


class SendingPause(models.Model):
    """Sending to one country held until the end of an hour: its hourly ceiling was passed."""

    # ISO region code of the destination ("001" for satellite and other non-geographic numbers).
    country = models.CharField(gettext_lazy("country"), max_length=3)
    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    # The hour the ceiling counted; the pause ends with it.
    window_start = models.DateTimeField(gettext_lazy("hour from"))
    until = models.DateTimeField(gettext_lazy("paused until"))
    ceiling = models.PositiveIntegerField(gettext_lazy("hourly ceiling"))
    lifted_at = models.DateTimeField(gettext_lazy("lifted by hand at"), null=True, blank=True)
    lifted_by = models.CharField(gettext_lazy("lifted by"), max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SendingPauseQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("sending pause")
        verbose_name_plural = gettext_lazy("sending pauses")
        ordering = ["-window_start", "country"]
        constraints = [
            # One pause, hence one alert, per country, mode and hour however many sends race.
            models.UniqueConstraint(
                fields=["country", "test_mode", "window_start"], name="sending_pause_once_an_hour"
            ),
        ]

    def __str__(self):
        mode = " (test)" if self.test_mode else ""
        return f"{self.country}{mode} {self.window_start:%Y-%m-%d %H:%M}"

    def is_active(self, now=None):
        """True while it holds messages: before its hour ends and not lifted by hand."""
        return self.lifted_at is None and (now or timezone.now()) < self.until

    def notice(self):
        """One sentence for the admin: what is held, until when, and how to lift it."""
        text = gettext(
            "Sending to %(country)s%(mode)s is paused until %(until)s UTC (more than %(ceiling)d "
            "messages this hour): its messages are held. Lift it in Sending pauses."
        )
        return text % {
            "country": self.country,
            "mode": gettext(" (test mode)") if self.test_mode else "",
            "until": f"{self.until:%H:%M}",
            "ceiling": self.ceiling,
        }
