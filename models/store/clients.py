"""Clients: their details, the client list, and the columns the list needs kept up to date."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import peewee as pw

from models import tables as t
from models.errors import ConflictError, ValidationError
from models.rules.text import SEARCH_LIMIT, check_email, check_phone, search_key, too_long
from models.rules.vocab import CHANNELS
from models.store import _base as b
from models.store.records import ChangeKind, Changes, ClientRow, client_rows

if TYPE_CHECKING:  # made the first time a client is read (models/store/entry_records.py; start-up, issue 10)
    from models.store.entry_records import ClientDetails

CLIENT_KINDS = (ChangeKind.CLIENT,)
# The editable fields, with the label a form shows beside each.
FIELDS: dict[str, str] = {
    "name": "The name",
    "organisation": "The organisation",
    "phone": "The phone number",
    "email": "The email address",
    "address": "The address",
    "preferred_channel": "The preferred channel",
    "caution": "The caution note",
    "usual_handler": "The usual handler",
    "more_details": "More contact details",
}
_MULTILINE = {"address", "caution", "more_details"}


def _clean_fields(values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Check and tidy client fields; ValidationError names the first bad one."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Clients have no field called {sorted(unknown)[0]!r}.")
    out: dict[str, Any] = {}
    for field, value in values.items():
        label = FIELDS[field]
        if field == "usual_handler":
            if value in (None, ""):
                out[field] = None
            else:
                out[field] = b.require_staff(value, "usual_handler").id
            continue
        text = b.clean(value, field, label, required=(field == "name"), multiline=field in _MULTILINE)
        if field == "email":
            problem = check_email(text)
            if problem:
                raise ValidationError(field, problem)
            text = text.lower()
        elif field == "phone":
            problem = check_phone(text)
            if problem:
                raise ValidationError(field, problem)
        elif field == "preferred_channel" and text and text not in CHANNELS:
            raise ValidationError(field, "Choose the preferred channel from the list.")
        out[field] = text
    if creating and "name" not in out:
        raise ValidationError("name", "The name cannot be empty.")
    return out


def _details(row: t.Client, handler_name: str = "") -> ClientDetails:
    from models.store.entry_records import ClientDetails

    return ClientDetails(
        row.id, row.name, row.organisation, row.phone, row.email, row.address, row.preferred_channel,
        row.caution, row.usual_handler_id, handler_name, row.created_at, row.updated_at, row.version,
        row.deleted_at, row.last_contact_at, row.next_due_at, row.more_details,
    )


def _search_text(values: dict[str, Any]) -> str:
    return search_key(values.get("name", ""), values.get("organisation", ""), values.get("phone", ""),
                      values.get("email", ""), values.get("more_details", ""))


def add_client(*, name: str, by: int, **fields: Any) -> Changes:
    """Add a client (Changes.id is the new id)."""
    values = _clean_fields({"name": name, **fields}, creating=True)

    def work(tx: b.Tx) -> int:
        if values.get("usual_handler") is not None:
            b.require_staff(values["usual_handler"], "usual_handler")
        row = t.Client.create(created_at=tx.at, updated_at=tx.at, created_by=tx.by,
                              search_text=_search_text(values), **values)
        tx.log("client", row.id, row.id, "add", CLIENT_KINDS, after=_logged(values))
        _index(row.id)
        return row.id
    return b.write(by, work)


# The fields possible duplicates are found by (models/store/duplicates.py keeps their keys).
KEYED = frozenset({"name", "organisation", "phone", "email", "address"})


def _index(client_id: int) -> None:
    reindex((client_id,))


def reindex(client_ids: Iterable[int]) -> None:
    """Bring what is derived from clients' details (their duplicate keys) up to date, in the caller's write.

    Every write that changes client details without add_client / update_client (import, revert, merge)
    calls this, so derived data has one door.
    """
    from models import search_index  # noqa: PLC0415
    from models.store.client_keys import index_clients  # noqa: PLC0415 - phone and e-mail keys: not at start-up

    client_ids = list(client_ids)
    index_clients(client_ids)
    search_index.refresh_rows("client", client_ids)  # issue 14: their search words (the triggers re-index)


def _logged(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in FIELDS if k in values}


def get_client(client_id: int, *, include_deleted: bool = True) -> ClientDetails:
    """One client's details (with `version`, to save edits without overwriting a colleague's)."""
    client_id = b.as_id(client_id, "client")

    def work() -> ClientDetails:
        row = t.Client.get_or_none(t.Client.id == client_id)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise ValidationError("client", "That client does not exist (any more).")
        handler = t.Staff.get_or_none(t.Staff.id == row.usual_handler_id) if row.usual_handler_id else None
        return _details(row, handler.name if handler else "")
    return b.read(work)


def update_client(client_id: int, *, version: int, by: int, **fields: Any) -> Changes:
    """Save edited details; raises ConflictError (with the current details) when a colleague saved first."""
    client_id = b.as_id(client_id, "client")
    values = _clean_fields(fields, creating=False)
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < b.INT_MAX:  # +1 must fit
        raise ValidationError("version", "The record's version is missing; reopen the client and try again.")

    def work(tx: b.Tx) -> None:
        row = b.require_client(client_id)
        before = {k: getattr(row, k if k != "usual_handler" else "usual_handler_id") for k in values}
        merged = {k: getattr(row, k) for k in ("name", "organisation", "phone", "email", "more_details")} | values
        updates = {getattr(t.Client, k): v for k, v in values.items()}
        updates.update({t.Client.version: version + 1, t.Client.updated_at: tx.at,
                        t.Client.search_text: _search_text(merged)})
        count = t.Client.update(updates).where((t.Client.id == client_id) & (t.Client.version == version)).execute()
        if count == 0:
            current = t.Client.get_by_id(client_id)
            handler = t.Staff.get_or_none(t.Staff.id == current.usual_handler_id) if current.usual_handler_id else None
            last = (t.Change.select(t.Staff.name).join(t.Staff, on=(t.Change.staff == t.Staff.id))
                    .where((t.Change.entity == "client") & (t.Change.entity_id == client_id))
                    .order_by(t.Change.id.desc()).limit(1).scalar())
            import dataclasses  # noqa: PLC0415 - (0.5 ms) not needed by the first window

            details = dataclasses.replace(_details(current, handler.name if handler else ""), saved_by_name=last or "")
            raise ConflictError(details,
                                "A colleague changed this client while you were editing. "
                                "Compare the two versions and choose what to keep.")
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        if set(changed) & KEYED:
            _index(client_id)
        tx.log("client", client_id, client_id, "edit", CLIENT_KINDS, before={k: before[k] for k in changed},
               after=changed)
    return b.write(by, work)


def delete_client(client_id: int, *, by: int) -> Changes:
    """Move a client to the Trash (a soft delete that restore_client undoes)."""
    client_id = b.as_id(client_id, "client")

    def work(tx: b.Tx) -> None:
        b.require_client(client_id)
        t.Client.update(deleted_at=tx.at, version=t.Client.version + 1).where(t.Client.id == client_id).execute()
        tx.log("client", client_id, client_id, "delete", CLIENT_KINDS + ("promise",))
    return b.write(by, work)


def restore_client(client_id: int, *, by: int) -> Changes:
    """Bring a client back from the Trash."""
    client_id = b.as_id(client_id, "client")

    def work(tx: b.Tx) -> None:
        from models.store.client_keys import refuse_if_merged  # noqa: PLC0415 - not needed at start-up

        b.require_client(client_id, allow_deleted=True)
        refuse_if_merged(client_id)
        t.Client.update(deleted_at=None, version=t.Client.version + 1).where(t.Client.id == client_id).execute()
        tx.log("client", client_id, client_id, "restore", CLIENT_KINDS + ("promise",))
    return b.write(by, work)


# Columns of the client list, in the order list_clients reads them; tests/perf compares this
# query against the same SELECT run raw.
LIST_COLUMNS = (t.Client.id, t.Client.name, t.Client.organisation, t.Client.phone, t.Client.email,
                t.Client.last_contact_at, t.Client.next_due_at, t.Client.search_text)


SCORE_COLUMNS = (t.ScoreCache.score, t.ScoreCache.band, t.ScoreCache.trend, t.ScoreCache.flags,
                 t.ScoreCache.stable_until)


def client_rows_query(*, deleted: bool = False) -> pw.Select:
    """The plain SELECT behind the client list: the clients with their cached score badges."""
    cond = t.Client.deleted_at.is_null(False) if deleted else t.Client.deleted_at.is_null()
    return (t.Client.select(*LIST_COLUMNS, *SCORE_COLUMNS)
            .join(t.ScoreCache, pw.JOIN.LEFT_OUTER, on=(t.ScoreCache.client == t.Client.id))
            .where(cond).order_by(pw.fn.LOWER(t.Client.name), t.Client.id))  # the list's order (client_folded_name)


def list_clients(*, text: str = "", deleted: bool = False, limit: int | None = None,
                 ids: Iterable[int] | None = None) -> list[ClientRow]:
    """Clients by name; `text` keeps those whose words start with every word typed (the search index:
    name, organisation, phone however written, email, address — models/search_index.py).

    `ids` reads just those clients (a view refreshing the rows a change touched). A search text longer
    than SEARCH_LIMIT is refused with a ValidationError on "text", before the database sees it: a search
    is a few words. Text with no words in it at all (only quotes, say) matches nobody.
    """
    if isinstance(text, str) and len(text) > SEARCH_LIMIT:
        raise ValidationError("text", too_long("The search text", SEARCH_LIMIT, len(text)))
    text = b.clean(text, "text", "The search text", limit=SEARCH_LIMIT)
    wanted = None if ids is None else b.check_ids(ids, "ids")
    limit = None if limit is None else b.check_count(limit, "limit", "The number of clients", low=0, high=b.INT_MAX)

    def work() -> list[ClientRow]:
        query = client_rows_query(deleted=deleted)
        if wanted is not None:
            query = query.where(t.Client.id.in_(wanted))
        if text.strip():
            sql, params = matching_clients_sql(text)
            if sql is None:
                return []
            query = query.where(t.Client.id.in_(pw.SQL(f"({sql})", params)))
        if limit is not None:
            query = query.limit(limit)
        return _rows(query)
    return b.read(work)


def matching_clients_sql(text: str) -> tuple[str | None, list[Any]]:
    """The SELECT of the ids of clients matching `text` through the search index (None: no words typed)."""
    from models import search_index as si  # the index module is only needed once someone types

    db = t.database.obj
    query = si.parse(text, si.office_country(db))
    if not query.terms:
        return None, []
    join, cond = si.match_sql("client", "c", db)
    return f'SELECT c.id FROM "client" c{join} WHERE {cond}', [si.match_param(query, db)]


def _rows(query: pw.Select) -> list[ClientRow]:
    """Materialise the list query straight from the cursor (no model instances; records.client_rows)."""
    return client_rows(t.database.obj.execute(query).fetchall(), t.to_micros(b.utcnow()))


def forget_score(client_id: int) -> None:
    """Forget the client's cached score state (inside the write that made it stale).

    The row stays, run out (`stable_until` 0) and with no Summary to reuse (`valid_until` 0): the badge is not
    shown and refresh_scores recomputes it from the events, finding it in the index by `stable_until` rather
    than by a pass over every client (issue 10).
    """
    t.ScoreCache.update(stable_until=0, valid_until=0).where(t.ScoreCache.client == client_id).execute()


def refresh_contact_columns(client_id: int) -> None:
    """Recompute the client list's "last contact" and "next promise due" for one client (inside a write)."""
    last = (t.Interaction.select(pw.fn.MAX(t.Interaction.at))
            .where((t.Interaction.client == client_id) & t.Interaction.deleted_at.is_null()).scalar())
    due = (t.Promise.select(pw.fn.MIN(t.Promise.due))
           .where((t.Promise.client == client_id) & (t.Promise.status == "open")
                  & t.Promise.deleted_at.is_null()).scalar())
    t.Client.update(last_contact_at=last, next_due_at=due).where(t.Client.id == client_id).execute()
