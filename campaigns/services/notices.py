"""One way to tell the admins that a campaign waits for a person (a stopped rollout, a content
test without a clear winner): a warning in the log and an email, in the installation's
language, once the decision has committed."""

import functools
import logging

from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.utils import translation

from campaigns.models import Campaign

logger = logging.getLogger(__name__)


def notify_admins_on_commit(campaign, subject, body, detail):
    """After the commit, email the admins: subject and body are lazy translatable texts using
    %(name)s and %(mode)s, and %(detail)s; detail(campaign) gives the detail."""
    transaction.on_commit(
        functools.partial(_notify, campaign.pk, subject, body, detail), robust=True
    )


def _notify(campaign_id, subject, body, detail):
    campaign = Campaign.objects.get(pk=campaign_id)
    with translation.override(settings.LANGUAGE_CODE):
        words = {
            "name": campaign.name,
            "mode": "test" if campaign.test_mode else "live",
            "detail": detail(campaign),
        }
        subject, body = str(subject) % words, str(body) % words
    logger.warning("Campaign %s waits for a person: %s", campaign.public_id, words["detail"])
    mail_admins(subject, body, fail_silently=True)
