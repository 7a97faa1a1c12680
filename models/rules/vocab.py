"""The words of the trade: contact channels and the five-step rating scale."""
from __future__ import annotations

# Touch points a front desk meets (the walking-skeleton issue's list), with what a person reads.
CHANNELS: dict[str, str] = {
    "phone": "Phone",
    "email": "Email",
    "visit": "Visit",
    "meeting": "Meeting",
    "letter": "Letter",
    "invoice": "Invoice",
    "website": "Website",
    "other": "Other",
}

# SPEC.md's valence scale, worded for the desk.
RATINGS: dict[int, str] = {
    -2: "Went wrong",
    -1: "Not great",
    0: "Neutral",
    1: "Good",
    2: "Excellent",
}

ROLES: dict[str, str] = {"staff": "Staff", "admin": "Administrator"}


def channel_label(code: str) -> str:
    return CHANNELS.get(code, code.title() or "Other")


def rating_label(value: int) -> str:
    return RATINGS.get(value, str(value))
