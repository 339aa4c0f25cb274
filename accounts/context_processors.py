from accounts.roles import can_edit


def roles(request):
    """Expose whether the current user may edit, so templates can hide write controls."""
    user = getattr(request, "user", None)
    return {"user_can_edit": bool(user and can_edit(user))}
