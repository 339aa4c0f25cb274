"""RQ jobs of webhook ingestion (queue `webhooks`): they take ids and call analytics.services."""

from analytics import services


def acknowledge_opt_out(event_id):
    services.acknowledge_opt_out(event_id)
