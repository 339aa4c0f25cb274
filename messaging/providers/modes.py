"""Which provider answers for test or live data, and whether its answers may be kept.

Test data always goes through the simulator. What the simulator says about a number is made
up (a hash), so it may be written to test contacts only: a live contact keeps what a real
provider said, or nothing. Sending and the audience's capability audit both follow this rule.
"""

from django.conf import settings

SIMULATOR = "simulator"


def provider_name_for(test_mode):
    """The provider a message or a check of this mode goes through: the simulator in test mode."""
    return SIMULATOR if test_mode else settings.MESSAGING_PROVIDER


def keeps_word_of(provider_name, *, test_mode):
    """True when what provider_name says about a contact of this mode may be written to it."""
    return bool(test_mode) or provider_name != SIMULATOR
