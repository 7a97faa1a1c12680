"""The dialogs of the desk app, one module each (DESIGN.md, "The upper floor")."""
