"""Everything Rapport knows, without a face: the store, its rules and its database."""

APP_VERSION = "0.1.0"
