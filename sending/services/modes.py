"""Test and live apart: what the simulator invents never lands on a live contact.

The simulator answers capability checks from a hash, and invents receipts, taps and STOPs.
That is what test data is for. In development MESSAGING_PROVIDER may be the simulator for live
keys too; its answers then still move the live message along (status, channel), but they are
not written to the live contact: no cached capability, no opt-out.
"""

import logging

from messaging.providers.modes import SIMULATOR, keeps_word_of

logger = logging.getLogger(__name__)


def inbound_mode(message, provider_name):
    """The mode of an inbound event: its message's, else test when it comes from the simulator."""
    if message is not None:
        return message.test_mode
    return provider_name == SIMULATOR


def remember_capability(contact, capable, at, provider_name):
    """Cache what a send taught us about the contact's RCS, unless the simulator made it up
    about a live contact."""
    if not keeps_word_of(provider_name, test_mode=contact.test_mode):
        logger.debug("simulated capability of live contact %s not cached", contact.pk)
        return
    contact.remember_capability(capable, at)
    contact.save(update_fields=["rcs_capable", "rcs_checked_at", "updated"])
