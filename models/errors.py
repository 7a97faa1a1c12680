"""The only exceptions that leave models/: each carries a sentence a receptionist can read."""
from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base class: `message` is a plain sentence for the person at the desk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(StoreError):
    """Input was refused; `field` names the form field (or "" for the whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(StoreError):
    """A colleague saved first: `current` is the record as it is now in the database."""

    def __init__(self, current: Any, message: str | None = None) -> None:
        super().__init__(message or "A colleague changed this record while you were editing it.")
        self.current = current


class BusyError(StoreError):
    """The shared database stayed locked longer than the retry budget: this call was not done (nothing half-done)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or ("The shared database stayed busy at another desk, so Rapport stopped waiting. What you typed is "
                "kept; please try again in a moment.")
        )


class DatabaseError(StoreError):
    """Anything else that went wrong with the database, told as a sentence."""


class OfficeMissingError(DatabaseError):
    """The office file a desk remembers is not there (any more): it was not created again without asking."""


class CloudFolderError(DatabaseError):
    """The database file is in a cloud-sync folder; it may be used only after an explicit override."""

    def __init__(self, message: str, service: str) -> None:
        super().__init__(message)
        self.service = service


class PermissionDenied(StoreError):
    """The acting staff member's role does not allow this write (only an administrator may ...)."""
