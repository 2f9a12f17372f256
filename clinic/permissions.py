"""Who may do what: roles are checked here, in selectors and services, never only in templates."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from clinic.models import Membership

Role = Membership.Role


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def require_role(user, *roles: str) -> Membership:
    """The user's membership if their role is one of `roles`; otherwise PermissionDenied (403)."""
    membership = membership_of(user)
    if membership is None or (roles and membership.role not in roles):
        raise PermissionDenied
    return membership


def role_required(*roles: str):
    """View decorator: 403 unless the signed-in user has one of `roles` in some clinic."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
