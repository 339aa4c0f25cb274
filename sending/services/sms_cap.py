"""The SMS segment cap when a message is submitted: its brand's limit on the SMS it may send."""

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
    check_sms_length(rendered.sms_text, limit, version.sms_fallback, rendered.values)
