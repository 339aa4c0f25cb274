"""The audience's background jobs: a few lines each, taking ids and calling the services.

Enqueued by dotted path through the jobs package, on the default queue
(`python manage.py rqworker default`).
"""

from audience import audit
from audience.imports import runs


def run_capability_audit(audit_id):
    """Check an audit's audience; an unexpected error stops it (resumable) and reaches RQ."""
    try:
        audit.run_audit(audit_id)
    except Exception:
        audit.fail_audit(audit_id)
        raise


def run_contact_import(import_id):
    """Import a contact file already uploaded and mapped."""
    runs.run(import_id)
