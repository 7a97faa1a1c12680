"""The dialogs: one module per dialog (team, trash, backups, settings, ...). Each is deleted when closed."""
