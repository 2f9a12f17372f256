"""Who may see client records, and who may see the restricted parts of them."""

from clinic.models import Membership
from clinic.permissions import Role, require_role

# Clinic admins manage staff; they have no need to know about clients (8 CFR 208.6).
CLIENT_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)
# Adverse parties and family still abroad: attorneys and supervisors only, never intake staff.
RESTRICTED_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)


def require_client_access(user) -> Membership:
    return require_role(user, *CLIENT_ROLES)


def require_restricted_access(user) -> Membership:
    return require_role(user, *RESTRICTED_ROLES)


def sees_restricted(membership: Membership | None) -> bool:
    return membership is not None and membership.role in RESTRICTED_ROLES
