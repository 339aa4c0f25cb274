from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from campaigns import receivers
        from sending.signals import dispatch_finished

        dispatch_finished.connect(
            receivers.campaign_of_finished_dispatch, dispatch_uid="campaigns-dispatch-finished"
        )
