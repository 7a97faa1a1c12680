"""Where a database file lives, from its path alone: cloud-sync folders and Windows network paths
(models/rules/location.py, read as a desk opens its office, so without regular expressions)."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from models.rules.location import cloud_service, is_unc_path

PATHS = st.lists(st.sampled_from(["\\", "/", "a", "B", " ", "-", "~", "OneDrive", "Dropbox", "iCloud~com", "C:"]),
                 max_size=12).map("".join)


@given(PATHS)
def test_a_network_path_is_two_slashes_a_server_and_a_share(path: str) -> None:
    assert is_unc_path(path) is bool(re.match(r"^(\\\\|//)[^\\/]+[\\/][^\\/]+", path))


@given(PATHS)
def test_the_folders_of_a_path_are_read_across_either_slash(path: str) -> None:
    by_pattern = [p.lower() for p in re.split(r"[\\/]+", path) if p]
    expected = next((service for part in by_pattern for marker, service in (
        ("onedrive", "OneDrive"), ("dropbox", "Dropbox"), ("icloud~", "iCloud Drive"))
        if part == marker or part.startswith((marker + " ", marker + "-")) or (marker.endswith("~")
                                                                               and part.startswith(marker))), None)
    assert cloud_service(path) == expected


def test_examples() -> None:
    assert is_unc_path(r"\\server\office\rapport.db") and is_unc_path("//nas/share/office.db")
    assert not is_unc_path(r"\\\server\office") and not is_unc_path(r"\\server") and not is_unc_path("C:/x")
    assert cloud_service(r"C:\Users\anna\OneDrive - Bayview\office.db") == "OneDrive"
    assert cloud_service("/Users/anna/Library/Mobile Documents/com~apple~CloudDocs/o.db") == "iCloud Drive"
    assert cloud_service("/srv/office/rapport.db") is None
