"""What marks an office file as Rapport's, and which version of the schema it holds: light to import (the first look
at an office, models/store/look.py, checks them before the ORM is loaded). The upgrade steps are in
models/migrations.py."""
from __future__ import annotations

SCHEMA_VERSION = 10
APPLICATION_ID = 0x52415054  # "RAPT": marks a SQLite file as Rapport's (PRAGMA application_id)
SCHEMA_KEY = "schema_version"  # the row of the `meta` table that holds the version
