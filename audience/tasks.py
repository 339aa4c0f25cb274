"""The audience's background jobs: a few lines each, enqueued by dotted path through `jobs`."""

from audience import audit


def run_capability_audit(audit_id):
    """Check an audit's audience; an unexpected error stops it (resumable) and reaches RQ."""
    try:
        audit.run_audit(audit_id)
    except Exception:
        audit.fail_audit(audit_id)
        raise
