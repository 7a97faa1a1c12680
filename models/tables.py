"""The database tables, as peewee models: data only, no behaviour (the store owns the rules)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import peewee as pw

# One proxy for the process: open_database() points it at SQLite or PostgreSQL.
database = pw.DatabaseProxy()

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH = EPOCH


def to_micros(value: datetime) -> int:
    """An aware datetime as whole microseconds since the Unix epoch (UTC)."""
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    """The inverse of to_micros: an aware UTC datetime (epoch + timedelta: the fastest exact way)."""
    return _EPOCH + timedelta(microseconds=value)


class UtcField(pw.BigIntegerField):
    """A point in time, stored as integer microseconds since the epoch (UTC).

    Integers sort and compare the same way on SQLite and PostgreSQL, need no time-zone handling in
    SQL, and let queries compute "due + 48 hours" portably.
    """

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("times given to the database must be timezone-aware")
            return to_micros(value)
        return value

    def python_value(self, value: Any) -> Any:
        return None if value is None else from_micros(int(value))


class BaseTable(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseTable):
    """Schema version and office-wide settings, one row per key."""

    key = pw.CharField(primary_key=True, max_length=100)
    value = pw.TextField()


class Staff(BaseTable):
    name = pw.CharField(max_length=500)
    initials = pw.CharField(max_length=10)
    role = pw.CharField(max_length=20, default="staff")  # "staff" or "admin"
    pin_hash = pw.CharField(max_length=200, null=True)
    away_from = UtcField(null=True)
    away_until = UtcField(null=True)
    away_reason = pw.CharField(max_length=500, default="")
    active = pw.BooleanField(default=True)
    created_at = UtcField()
    version = pw.IntegerField(default=1)


class Client(BaseTable):
    name = pw.CharField(max_length=500)
    organisation = pw.CharField(max_length=500, default="")
    phone = pw.CharField(max_length=500, default="")
    email = pw.CharField(max_length=500, default="")
    address = pw.TextField(default="")
    preferred_channel = pw.CharField(max_length=20, default="")
    caution = pw.TextField(default="")
    usual_handler = pw.ForeignKeyField(Staff, null=True, backref="handled_clients", on_delete="SET NULL")
    created_at = UtcField()
    created_by = pw.ForeignKeyField(Staff, null=True, backref="+")
    updated_at = UtcField()
    version = pw.IntegerField(default=1)
    deleted_at = UtcField(null=True)
    # Kept up to date by the store in the same transaction as the writes that change them, so the
    # client list is one plain SELECT (DESIGN.md, "Performance").
    last_contact_at = UtcField(null=True)
    next_due_at = UtcField(null=True)
    search_text = pw.TextField(default="")
    # Every phone, email, address, birthday, title or website beyond the one of each kind above (issue 15).
    # A default in SQL too, so bulk inserts and exports made before this column still load.
    more_details = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])
    search_words = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])  # models/search_index.py


# The client list reads live clients by name compared without case, the list's own order ("de Vries" among the
# Ds, not after "Zed"): one ordered index scan, no sort, for the whole list and for its first screenful (its
# first rows at start-up). Schema step 10 put it in place of ("deleted_at", "name", "id").
Client.add_index(Client.index(Client.deleted_at, pw.fn.LOWER(Client.name), Client.id, name="client_folded_name"))

class Interaction(BaseTable):
    """A client-facing touch: a call, a visit, an email, an invoice, with how it went."""

    client = pw.ForeignKeyField(Client, backref="interactions", on_delete="CASCADE", index=False)
    at = UtcField()
    channel = pw.CharField(max_length=20)
    staff = pw.ForeignKeyField(Staff, backref="+", index=False)
    summary = pw.CharField(max_length=500)
    details = pw.TextField(default="")
    rating = pw.SmallIntegerField()
    # The encounter this touch belongs to (SPEC.md rule 2). NULL means "its own encounter".
    encounter = pw.CharField(max_length=100, null=True)
    # Indexed by a partial index below: almost every row is NULL, and a full index's statistics would
    # then make the planner scan the table to find the few fixes.
    recovers = pw.ForeignKeyField("self", null=True, backref="recoveries", on_delete="SET NULL", index=False)
    apology = pw.BooleanField(default=False)
    created_at = UtcField()
    edited_at = UtcField(null=True)
    deleted_at = UtcField(null=True)
    deleted_by = pw.ForeignKeyField(Staff, null=True, backref="+", index=False)
    # The office's topic (Settings), as its text; NULL = none. Added by schema step 3.
    topic = pw.CharField(max_length=100, null=True)
    search_words = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])  # models/search_index.py

    class Meta:
        indexes = ((("client", "at", "id"), False),)


Interaction.add_index(Interaction.index(Interaction.recovers, name="interaction_fixes",
                                        where=Interaction.recovers.is_null(False)))
# The review (models/store/review.py): a period's interactions by time, an encounter's members, and the
# few interactions that can make a failure (a -2) without scanning the table. Added by schema step 3.
Interaction.add_index(Interaction.index(Interaction.at, name="interaction_at"))
Interaction.add_index(Interaction.index(Interaction.client, Interaction.encounter, name="interaction_encounter"))
Interaction.add_index(Interaction.index(Interaction.client, Interaction.encounter, name="interaction_went_wrong",
                                        where=Interaction.rating == -2))


class Note(BaseTable):
    """An internal note: never seen by the client, never part of the score."""

    client = pw.ForeignKeyField(Client, backref="notes", on_delete="CASCADE", index=False)
    at = UtcField()
    staff = pw.ForeignKeyField(Staff, backref="+", index=False)
    text = pw.TextField()
    pinned = pw.BooleanField(default=False)
    created_at = UtcField()
    edited_at = UtcField(null=True)
    deleted_at = UtcField(null=True)
    deleted_by = pw.ForeignKeyField(Staff, null=True, backref="+", index=False)
    search_words = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])  # models/search_index.py

    class Meta:
        indexes = ((("client", "at", "id"), False),)


class Promise(BaseTable):
    """Something the office promised a client, with a due time and an owner."""

    client = pw.ForeignKeyField(Client, backref="promises", on_delete="CASCADE", index=False)
    made_at = UtcField()
    made_by = pw.ForeignKeyField(Staff, backref="+")
    owner = pw.ForeignKeyField(Staff, backref="owned_promises")
    text = pw.CharField(max_length=500)
    due = UtcField(index=True)
    status = pw.CharField(max_length=20, default="open")  # open / kept / cancelled
    kept_at = UtcField(null=True)
    kept_by = pw.ForeignKeyField(Staff, null=True, backref="+")
    apology = pw.BooleanField(default=False)
    cancelled_at = UtcField(null=True)
    cancelled_by = pw.ForeignKeyField(Staff, null=True, backref="+")
    cancel_reason = pw.CharField(max_length=500, default="")
    origin = pw.ForeignKeyField(Interaction, null=True, backref="+", on_delete="SET NULL")
    version = pw.IntegerField(default=1)
    deleted_at = UtcField(null=True)
    search_words = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])  # models/search_index.py

    class Meta:
        indexes = (
            (("client", "made_at", "id"), False),
            (("status", "due"), False),
        )


class PromiseEvent(BaseTable):
    """One step in a promise's life (made, kept, renegotiated, reassigned, cancelled): a timeline entry."""

    promise = pw.ForeignKeyField(Promise, backref="events", on_delete="CASCADE")
    client = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE", index=False)
    at = UtcField()
    staff = pw.ForeignKeyField(Staff, backref="+", index=False)
    action = pw.CharField(max_length=20)
    old_due = UtcField(null=True)
    new_due = UtcField(null=True)
    old_owner = pw.ForeignKeyField(Staff, null=True, backref="+")
    new_owner = pw.ForeignKeyField(Staff, null=True, backref="+")
    apology = pw.BooleanField(default=False)
    reason = pw.CharField(max_length=500, default="")
    deleted_at = UtcField(null=True)

    class Meta:
        indexes = ((("client", "at", "id"), False),)


class Change(BaseTable):
    """The change log: the audit trail and the feed other desks read (SHARING.md)."""

    id = pw.BigAutoField()
    at = UtcField()
    staff = pw.IntegerField(null=True)  # not a foreign key: the log outlives whatever it mentions
    entity = pw.CharField(max_length=20)
    entity_id = pw.BigIntegerField(null=True)
    client = pw.IntegerField(null=True, index=True)
    action = pw.CharField(max_length=20)
    kinds = pw.CharField(max_length=200, default="")  # the Changes kinds, comma-separated
    origin = pw.CharField(max_length=64, default="")  # the desk session that wrote it (a desk skips its own)
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)

    class Meta:
        # Office > History pages newest first by id, filtered by colleague or kind (keyset on id), and
        # finds the id range of a date range through `at` (models/store/history.py).
        indexes = ((("staff", "id"), False), (("entity", "id"), False), (("at",), False))


class Session(BaseTable):
    """One row per running desk: who, where, which client is open (presence)."""

    id = pw.CharField(primary_key=True, max_length=64)
    staff = pw.IntegerField(null=True)
    host = pw.CharField(max_length=200)
    pid = pw.IntegerField()
    app_version = pw.CharField(max_length=50)
    started_at = UtcField()
    last_seen = UtcField(index=True)
    client = pw.IntegerField(null=True)


class ScoreCache(BaseTable):
    """A per-client cache of the impression badge (SPEC.md allows it; it must equal a full recompute).

    The badge columns hold until `stable_until`; the Summary (models.rules.impression) recomputes the
    badge without reading events while `valid_from <= now < valid_until`. Any write that touches the
    client's score deletes the row in the same transaction.
    """

    client = pw.ForeignKeyField(Client, primary_key=True, backref="+", on_delete="CASCADE")
    score = pw.SmallIntegerField()
    band = pw.CharField(max_length=10)
    trend = pw.CharField(max_length=10)
    trend30 = pw.SmallIntegerField()
    flags = pw.CharField(max_length=40, default="")
    stable_until = pw.BigIntegerField()  # microseconds since the epoch
    valid_from = pw.BigIntegerField()
    valid_until = pw.BigIntegerField()
    summary = pw.TextField()
    computed_at = pw.BigIntegerField()

    class Meta:
        # Which badges have run out (refresh_scores, stale_scores): a range of this index, not a pass over every
        # client (issue 10: 39 ms at 50,000 clients on every refresh). With the client id in it, it also counts
        # the cache's rows without reading its wide ones.
        indexes = ((("stable_until", "client"), False),)


class Setting(BaseTable):
    """One office-wide setting (models/store/settings.py): its value as JSON, versioned like a client."""

    key = pw.CharField(primary_key=True, max_length=100)
    value = pw.TextField()
    version = pw.IntegerField(default=1)


class ClientKey(BaseTable):
    """A client's comparable keys (models/matching.py), kept by the store in the same transaction as its details.

    Finding possible duplicates looks clients up by these keys instead of comparing every client.
    """

    client = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE", index=False)
    kind = pw.CharField(max_length=10)  # phone, email, name, org, addr, orgname, addrname
    key = pw.CharField(max_length=200)
    # True while 2 to 25 clients have this key: find_duplicates reads only these rows (a partial index).
    shared = pw.BooleanField(default=False, index=False)

    class Meta:
        indexes = ((("kind", "key"), False), (("client", "kind"), False))


ClientKey.add_index(ClientKey.index(ClientKey.kind, ClientKey.key, ClientKey.client, name="client_key_shared",
                                    where=ClientKey.shared))


class NotSame(BaseTable):
    """Two clients somebody said are different people ("It's a different person"); low < high."""

    low = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE")
    high = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE", index=False)
    by = pw.IntegerField(null=True)
    at = UtcField()

    class Meta:
        indexes = ((("low", "high"), True),)


class Merge(BaseTable):
    """One merge of `other` into `keep`: both clients' rows as they were, so it can be taken back exactly."""

    keep = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE")
    other = pw.ForeignKeyField(Client, backref="+", on_delete="CASCADE")
    by = pw.IntegerField(null=True)
    at = UtcField()
    keep_before = pw.TextField()  # JSON: the client row of `keep` before the merge (database values)
    other_before = pw.TextField()
    fields = pw.TextField(default="{}")  # JSON: field -> "keep"/"other" as chosen
    undone_at = UtcField(null=True)
    undone_by = pw.IntegerField(null=True)


class MergeMove(BaseTable):
    """A row a merge moved from `other` to `keep`: the merge it came through, so un-merge can send it back."""

    merge = pw.ForeignKeyField(Merge, backref="moves", on_delete="CASCADE")
    entity = pw.CharField(max_length=20)  # interaction, note, promise, promise_event, change, score
    row_id = pw.BigIntegerField()

    class Meta:
        indexes = ((("merge", "entity"), False),)


class ContactImport(BaseTable):
    """One import of a contact file (models/store/imports.py): who, when, which file, what it did."""

    at = UtcField()
    staff = pw.IntegerField(null=True)  # not a foreign key, like the change log's
    file_name = pw.CharField(max_length=500)
    kind = pw.CharField(max_length=10)  # "csv" or "vcard"
    created = pw.IntegerField(default=0)
    updated = pw.IntegerField(default=0)
    unchanged = pw.IntegerField(default=0)
    problems = pw.IntegerField(default=0)
    status = pw.CharField(max_length=20, default="running")  # running, done, cancelled, reverted
    finished_at = UtcField(null=True)
    reverted_at = UtcField(null=True)
    reverted_by = pw.IntegerField(null=True)


class ImportedRow(BaseTable):
    """A client an import created or updated: what Revert takes back, and the vCard UID it remembers."""

    contact_import = pw.ForeignKeyField(ContactImport, backref="rows", on_delete="CASCADE")
    row = pw.IntegerField()
    client = pw.IntegerField(index=True)
    action = pw.CharField(max_length=10)  # "create" or "update"
    uid = pw.CharField(max_length=500, default="", index=True)
    before = pw.TextField(null=True)  # the client's changed fields before an update, as JSON
    change_id = pw.BigIntegerField(null=True)  # the change-log row of this import's write to the client


class Erasure(BaseTable):
    """The erasure list (issue 11): clients whose personal data was erased, and a one-way key of who they were.

    `key` is a SHA-256 of the folded name, national phone number and email (models/store/erasure.py), so a
    restore can erase them again and an import can notice the same person coming back, without keeping
    who they were.
    """

    client = pw.IntegerField(unique=True)  # not a foreign key: the list outlives a restore
    key = pw.CharField(max_length=64, index=True)
    at = UtcField()
    staff = pw.IntegerField(null=True)


class WriteReceipt(BaseTable):
    """One row per write transaction on PostgreSQL, written in that transaction (issue 12).

    When the connection drops during COMMIT, the desk cannot tell whether the write was saved; before
    running it again it looks for its receipt, so a committed write is never saved twice. `result` is
    the write's Changes as JSON (what the desk tells its views). Receipts older than a day are pruned.
    """

    id = pw.CharField(primary_key=True, max_length=32)
    at = UtcField(index=True)
    result = pw.TextField()


ALL_TABLES: tuple[type[BaseTable], ...] = (
    Meta, Staff, Client, Interaction, Note, Promise, PromiseEvent, Change, Session, ScoreCache,
    Setting, ClientKey, NotSame, Merge, MergeMove,
    ContactImport, ImportedRow,
    Erasure, WriteReceipt,
)
