"""Access control for the API and the pages: denied by default, granted by role."""

from django.contrib.auth.mixins import AccessMixin
from rest_framework.permissions import BasePermission

from .roles import Role, has_role


class DenyAll(BasePermission):
    """The default: a view that does not name who may use it serves nobody."""

    def has_permission(self, request, view):
        return False


def role_permission(*roles: Role | str) -> type[BasePermission]:
    """A DRF permission class granting access to signed-in users holding any of `roles`."""

    class HasRole(BasePermission):
        message = "You do not have a role that allows this."

        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    HasRole.__name__ = "HasRole_" + "_".join(str(r) for r in roles)
    return HasRole


class RoleRequiredMixin(AccessMixin):
    """For pages: anonymous users go to sign in; signed-in users without the role get 403."""

    required_roles: tuple[Role | str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.required_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
