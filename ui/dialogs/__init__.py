"""The dialogs of the desk (DESIGN.md, "The upper floor"): one module each, deleted when closed."""
