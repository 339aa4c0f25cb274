from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from campaigns import lookups, receivers
        from sending import lookups as sending_lookups
        from sending.signals import dispatch_finished, reconciler_pass

        sending_lookups.register_campaign_dispatches(lookups.campaign_dispatch_ids)
        dispatch_finished.connect(
            receivers.campaign_of_finished_dispatch, dispatch_uid="campaigns-dispatch-finished"
        )
        reconciler_pass.connect(receivers.campaigns_due, dispatch_uid="campaigns-reconciler-pass")
