"""The SMS segment cap when a message is submitted: its brand's limit on the SMS it may send."""

from django.conf import settings

from messaging import links
from messaging.sms_cap import check_sms_length
from sending.models import Message


def check_sms_cap(version, rendered, policy) -> None:
    """Raise messaging.sms_cap.SmsTooLong when rendered's SMS is over its brand's segment limit.

    rendered is editor.services.render_version() of version; an rcs_only message sends no
    SMS and is not checked.
    """
    if policy == Message.Policy.RCS_ONLY or not rendered.sms_text:
        return
    # The brand as it is now, not the version's snapshot: lowering the limit applies at once.
    limit = version.template.brand.sms_max_segments
    # Counted as sent: each link replaced by its tracked link.
    sent = links.with_sample_links(rendered.sms_text, settings.LINK_BASE_URL)
    check_sms_length(sent, limit, version.sms_fallback, rendered.values)
