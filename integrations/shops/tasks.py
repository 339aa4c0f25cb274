"""The RQ job of the shop connectors, enqueued by dotted path through jobs."""

from integrations.shops import services


def process_event(event_id):
    services.process(event_id)
