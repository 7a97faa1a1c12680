"""One place per action: each module holds what a desk can do to one subject, with its questions.

A view displays and forwards; an action decides and writes (through `ctx.tasks`); a rule computes. Every view
that offers an action calls it here, so the questions (the apology for a late keep, the warning before a promise
goes to somebody away) are asked the same way everywhere:

- `promises.py`  keep, new due date, give to a colleague, take over, cancel, correct the text
- `entries.py`   log (the composer), fix, edit, pin, trash an interaction or a note
- `clients.py`   add, edit, trash, restore a client
- `undo.py`      this desk's Undo and Redo, saying what they will take back
"""
