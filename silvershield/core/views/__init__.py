"""Pages of the shared app: sign-in, sign-out and the workbench; `pages` holds what every page shares."""

from silvershield.core.views.auth import login_view, logout_view
from silvershield.core.views.workbench import workbench

__all__ = ["login_view", "logout_view", "workbench"]
