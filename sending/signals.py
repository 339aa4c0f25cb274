"""What sending tells the apps above it, which it may not import (campaigns, analytics)."""

from django.dispatch import Signal

# Sent once a dispatch is marked done (nothing of it is queued or sending), after the commit;
# keyword argument: dispatch_id.
dispatch_finished = Signal()

# Sent on every pass of the reconciler (the reconcile_messages command and its job), after its
# own work; keyword argument: now. Apps above re-drive their own lost delayed jobs there
# (campaigns: scheduled starts whose job was lost). Listeners must be safe to run twice at once.
reconciler_pass = Signal()
