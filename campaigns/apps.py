from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from campaigns import receivers
        from sending.signals import dispatch_finished, reconciler_pass

        dispatch_finished.connect(
            receivers.campaign_of_finished_dispatch, dispatch_uid="campaigns-dispatch-finished"
        )
        reconciler_pass.connect(receivers.campaigns_due, dispatch_uid="campaigns-reconciler-pass")
