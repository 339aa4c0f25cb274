"""What sending tells the apps above it, which it may not import (campaigns, analytics)."""

from django.dispatch import Signal

# Sent once a dispatch is marked done (nothing of it is queued or sending), after the commit;
# keyword argument: dispatch_id.
dispatch_finished = Signal()

# Sent when a provider reports a tap on a button (CLICKED or REPLIED with a CTA id), inside the
# transaction that records the event, so the tap and its event commit together; keyword
# argument: event (a sending.Event). A receiver that fails makes the webhook fail, and the
# provider retries it.
button_tapped = Signal()

# Sent when GET /api/v1/messages/{id} lists a message's events, so apps above sending add
# theirs (analytics: taps on tracked links); keyword argument: message. Each receiver returns
# a list of event dicts shaped like sending.schemas.EventOut.
message_events = Signal()
