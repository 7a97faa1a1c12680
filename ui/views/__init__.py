"""The screens of the window: one module per screen (client list, client, timeline, today, ...)."""
