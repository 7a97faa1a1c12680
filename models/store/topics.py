"""The office's topics on interactions: renaming one renames it on every past interaction, in one change."""
from __future__ import annotations

from models import tables as t
from models.errors import ConflictError, ValidationError
from models.store import _base as b
from models.store.records import Changes
from models.store.settings import check_settings, current_settings, store_settings

TOPIC_KINDS = ("settings", "timeline", "review")


def topic_uses(topic: str) -> int:
    """How many interactions carry `topic` (in the office's spelling when it is one of its topics, listed or
    hidden): what rename_topic() would rename, deleted ones included (they keep their topic in the Trash)."""
    name = b.clean(topic, "topic", "The topic", required=True, limit=100)

    def work() -> int:
        current = current_settings()
        known = {n.casefold(): n for n in (*current.topics, *current.hidden_topics)}
        return t.Interaction.select().where(t.Interaction.topic == known.get(name.casefold(), name)).count()
    return b.read(work)


def rename_topic(old: str, new: str, *, version: int, by: int) -> Changes:
    """Rename a topic in the office's list and on every interaction that carries it, as one recorded change.

    `version` is the office settings' version (ConflictError when a colleague changed them since).
    Removing a topic is a settings change instead: it goes to `hidden_topics`, past interactions keep it.
    """
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("version", "That is not a version number.")
    old_name = b.clean(old, "old", "The topic", required=True, limit=100)
    new_name = b.clean(new, "new", "The new name", required=True, limit=100)

    def work(tx: b.Tx) -> None:
        b.require_admin(tx.by, "rename a topic")
        current = current_settings()
        if current.version != version:
            raise ConflictError(current, "A colleague changed the office settings while you were editing them.")
        known = {name.casefold(): name for name in (*current.topics, *current.hidden_topics)}
        if old_name.casefold() not in known:
            raise ValidationError("old", f"'{old_name}' is not one of the office's topics.")
        was = known[old_name.casefold()]
        if new_name.casefold() in known and new_name.casefold() != was.casefold():
            raise ValidationError("new", f"There is already a topic called '{known[new_name.casefold()]}'.")
        if new_name == was:
            return
        cleaned = check_settings({
            "topics": [new_name if n == was else n for n in current.topics],
            "hidden_topics": [new_name if n == was else n for n in current.hidden_topics]})
        store_settings(current, cleaned)
        count = t.Interaction.update(topic=new_name).where(t.Interaction.topic == was).execute()
        tx.log("settings", None, None, "rename_topic", TOPIC_KINDS,
               before={"topic": was}, after={"topic": new_name, "interactions": count})
    return b.write(by, work)
