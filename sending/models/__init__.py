"""Messages, the provider calls made for them (attempts) and what providers told us (events).

One module per subject; everything is importable from here.
"""

from sending.dispatches import Dispatch
from sending.models.attempts import Attempt, Event
from sending.models.messages import LEASED, Message, MessageQuerySet
from sending.pauses import SendingPause

__all__ = [
    "LEASED",
    "Attempt",
    "Dispatch",
    "Event",
    "Message",
    "MessageQuerySet",
    "SendingPause",
]
