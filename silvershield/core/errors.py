"""Domain errors raised by write functions; views and the API turn them into answers.

Each carries a stable `code` for the API and, where one field is at fault, its name.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionNotAllowed(DomainError):
    """The transition is not in the table from this state, or its precondition does not hold."""

    code = "transition_not_allowed"
    http_status = 400


class PermissionDenied(DomainError):
    """The actor may see the item but their role may not do this to it."""

    code = "permission_denied"
    http_status = 403


class StaleState(DomainError):
    """Someone else changed the item first (compare-and-swap found 0 rows)."""

    code = "conflict"
    http_status = 409


class InvalidInput(DomainError):
    code = "invalid"
    http_status = 400
