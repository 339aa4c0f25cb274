"""Turn what sending and audience announce into webhook deliveries (connected in apps.py)."""

from integrations import payloads, services


def on_message_events(sender, changes, **kwargs):
    endpoints = services.active_endpoints()
    modes = {endpoint.is_test for endpoint in endpoints}
    changes = [change for change in changes if change.test_mode in modes]
    if changes:
        services.record(endpoints, payloads.message_events(changes))


def on_consent_changes(sender, changes, **kwargs):
    endpoints = services.active_endpoints()
    modes = {endpoint.is_test for endpoint in endpoints}
    changes = [change for change in changes if change.test_mode in modes]
    if changes:
        services.record(endpoints, payloads.consent_events(changes))
