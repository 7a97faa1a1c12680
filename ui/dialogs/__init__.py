"""The dialogs (team, trash, backups, history, import wizard, settings, quick find ...)."""
