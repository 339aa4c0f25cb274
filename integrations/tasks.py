"""The RQ jobs of integrations, enqueued by dotted path through jobs."""

from integrations import demo, services


def deliver(delivery_id):
    return services.deliver(delivery_id)


def redrive_deliveries():
    return services.redrive()


def act_demo_people(actions):
    demo.act(actions)
