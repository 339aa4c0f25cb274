"""What sending tells the apps above it, which it may not import (campaigns, analytics)."""

from django.dispatch import Signal

# Sent once a dispatch is marked done (nothing of it is queued or sending), after the commit;
# keyword argument: dispatch_id.
dispatch_finished = Signal()
