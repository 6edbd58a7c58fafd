from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role


def staff_required(roles=tuple(Role.values)):
    """Page views: signed in and holding one of `roles` somewhere. Object-level
    checks (role in *this* object's agency) stay in the view or action."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise DjangoPermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
