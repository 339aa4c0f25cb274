from accounts.roles import can_approve, can_edit


def roles(request):
    """Expose whether the current user may edit or approve, so templates can hide controls."""
    user = getattr(request, "user", None)
    return {
        "user_can_edit": bool(user and can_edit(user)),
        "user_can_approve": bool(user and can_approve(user)),
    }
