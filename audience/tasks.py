"""RQ jobs of the audience: they take ids and call the audience's services.

Enqueued by dotted path through the jobs package, on the default queue
(`python manage.py rqworker default`).
"""

from audience.imports import runs


def run_contact_import(import_id):
    runs.run(import_id)
