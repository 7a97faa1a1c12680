"""Where a database file lives, judged from its path alone (cloud-sync folders, network paths)."""
from __future__ import annotations

# Folders that sync files by copying them whole; they corrupt SQLite databases (SHARING.md).
CLOUD_FOLDER_MARKERS: tuple[tuple[str, str], ...] = (
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("icloud drive", "iCloud Drive"),
    ("icloud~", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("box sync", "Box"),
    ("pcloud", "pCloud"),
    ("nextcloud", "Nextcloud"),
)

def cloud_service(path: str) -> str | None:
    """The cloud-sync service whose folder holds `path`, or None."""
    parts = [p.lower() for p in path.replace("\\", "/").split("/") if p]  # (no regex: this runs as a desk starts)
    for part in parts:
        for marker, service in CLOUD_FOLDER_MARKERS:
            if part == marker or part.startswith(marker + " ") or part.startswith(marker + "-") \
                    or (marker.endswith("~") and part.startswith(marker)):
                return service
    return None


def is_unc_path(path: str) -> bool:
    """True for a Windows network path such as \\\\server\\office\\rapport.db: two slashes, a server, a share."""
    if not path.startswith(("\\\\", "//")):
        return False
    server, separator, share = path[2:].replace("\\", "/").partition("/")
    return bool(server and separator and share) and not share.startswith("/")
