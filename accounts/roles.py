"""The product's roles: Marketing edits everything in the product UI, Viewer only reads."""

MARKETING = "Marketing"
VIEWER = "Viewer"


def can_edit(user):
    """Return whether the user may change things in the product UI."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == MARKETING for group in user.groups.all())
