"""The full-text index behind store.search and the client filter: what is indexed, how it is kept, how it is asked.

SQLite: one FTS5 external-content table per searched table (`client_fts` ...) over the rows' own text, kept by
triggers in the same transaction, tokenised by `unicode61 remove_diacritics 2` with prefix indexes.
PostgreSQL: a GIN index over `to_tsvector('simple', search_words)` (no extension, no superuser).

The tokenizers alone do not make `zoe obrien` find "Zoë Ó'Brien" (they split at the apostrophe) nor
`01632960407` find "01632 960407", and triggers cannot call Python's phonenumbers. So every searched row
carries a `search_words` column that Rapport writes in the same transaction as the row (models/store/_base.py
refreshes it for every row a write logs): the normalised forms of models/normalise.py — names without
apostrophes and hyphens, phone numbers as national numbers in the office's country. On SQLite it holds only
the forms the tokenizer cannot make (most rows: nothing); on PostgreSQL, which has no accent folding without
an extension, it holds every folded word. Bulk work (import, restore, copy, merge, erase) ends with
`rebuild()`, which recomputes the column and rebuilds the index. The query is normalised the same way.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import peewee as pw

from models import normalise
from models import tables as t

# The ONE list of what is searched, per kind: the table and its text columns (a new client field that should
# be found goes here, and a schema step calls install(db) to rebuild the index with it).
CLIENT_COLUMNS: tuple[str, ...] = ("name", "organisation", "phone", "email", "address", "more_details")
Indexed = dict[str, tuple[type[t.BaseTable], tuple[str, ...]]]
INDEXED: Indexed = {
    "client": (t.Client, CLIENT_COLUMNS),
    "interaction": (t.Interaction, ("summary", "details")),
    "note": (t.Note, ("text",)),
    "promise": (t.Promise, ("text",)),
}
WORDS_COLUMN = "search_words"
TOKENIZE = "unicode61 remove_diacritics 2"
PREFIXES = "2 3"
BATCH = 2000

_TOKEN = re.compile(r"[^\W_]+")
# A phone number as people write it: digits with spaces, dots, dashes, slashes, brackets, maybe a leading +.
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().\-/]*\d")
_MIN_PHONE_DIGITS = 6


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokenizer_words(text: str) -> set[str]:
    """The words SQLite's unicode61 tokenizer (remove_diacritics 2) makes of a text, as near as Python can tell."""
    return set(_TOKEN.findall(_strip_marks(text)))


def phone_runs(text: str) -> list[re.Match[str]]:
    """The stretches of a text that look like a phone number (at least six digits)."""
    return [m for m in _PHONE_RUN.finditer(text) if sum(c.isdigit() for c in m.group()) >= _MIN_PHONE_DIGITS]


@lru_cache(maxsize=256)
def has_phone(text: str) -> bool:
    """Whether a text holds something that looks like a phone number (a search reads the office's country then)."""
    return bool(phone_runs(text))


def folded_words(text: str) -> list[str]:
    """Every form a search may use for a text's words: folded tokens, and names joined (normalise.words)."""
    text = text.replace("_", " ")
    return list(dict.fromkeys(_TOKEN.findall(normalise.fold(text)) + normalise.words(text)))


def search_words(texts: Iterable[str], country: str, *, everything: bool) -> str:
    """The `search_words` of a row with these texts: the normalised forms (all words when `everything`)."""
    texts = [x for x in texts if x]
    out: dict[str, None] = {}
    for text in texts:
        out.update(dict.fromkeys(folded_words(text)))
        for run in phone_runs(text):
            key = normalise.phone_key(run.group(), country)
            if key:
                out[key] = None
    if not everything:
        plain: set[str] = set()
        for text in texts:
            plain |= tokenizer_words(text)
        return " ".join(w for w in out if w not in plain)
    return " ".join(out)


def is_postgres(db: pw.Database) -> bool:
    return isinstance(db, pw.PostgresqlDatabase)


def office_country(db: pw.Database | None = None) -> str:
    """The office's country for phone numbers ('' when not chosen), read straight from its setting row."""
    db = db or t.database.obj
    row = db.execute_sql(f'SELECT "value" FROM "setting" WHERE "key" = {db.param}', ("country",)).fetchone()
    try:
        value = json.loads(row[0]) if row else ""
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


# A user action touches a few rows; more than this is bulk work (import, merge, rebuild).
SMALL_UPDATE = 20

# --- keeping the column ------------------------------------------------------------------------------

def refresh_rows(kind: str, ids: Iterable[int], country: str | None = None, db: pw.Database | None = None,
                 indexed: Indexed | None = None) -> int:
    """Recompute `search_words` of these rows where it changed (inside the caller's transaction)."""
    table, columns = (indexed or INDEXED)[kind]
    ids = list(ids)
    if not ids:
        return 0
    db = db or t.database.obj
    country = office_country(db) if country is None else country
    everything = is_postgres(db)
    fields = [table._meta.fields[c] for c in columns]
    words_field = table._meta.fields[WORDS_COLUMN]
    changed = 0
    for start in range(0, len(ids), BATCH):
        query = table.select(table.id, words_field, *fields).where(table.id.in_(ids[start:start + BATCH]))
        updates = []
        for row_id, current, *texts in db.execute(query).fetchall():
            wanted = search_words(texts, country, everything=everything)
            if wanted != current:
                updates.append((wanted, row_id))
        if updates:
            sql = f'UPDATE "{table._meta.table_name}" SET "{WORDS_COLUMN}" = {db.param} WHERE "id" = {db.param}'
            if len(updates) > SMALL_UPDATE:
                db.cursor().executemany(sql, updates)  # bulk work: psycopg pipelines it
            else:
                for params in updates:  # one user action: plain statements, which a dropped connection cannot
                    db.execute_sql(sql, params)  # leave half-pipelined (issue 12's connection-loss test)
            changed += len(updates)
    return changed


def refresh_all(db: pw.Database, *, clients: Iterable[int] | None = None, indexed: Indexed | None = None) -> int:
    """Recompute `search_words` of every row (or of these clients' rows), inside the caller's transaction."""
    country = office_country(db)
    wanted = None if clients is None else list(clients)
    changed = 0
    indexed = indexed or INDEXED
    for kind in indexed:
        table, _ = indexed[kind]
        query = table.select(table.id)
        if wanted is not None:
            query = query.where((table.id if kind == "client" else table.client).in_(wanted))
        ids = [r for (r,) in db.execute(query.order_by(table.id)).fetchall()]
        changed += refresh_rows(kind, ids, country, db, indexed)
    return changed


# --- the index itself --------------------------------------------------------------------------------

def _fts(kind: str) -> str:
    return f"{INDEXED[kind][0]._meta.table_name}_fts"


def _sqlite_statements(kind: str, indexed: Indexed) -> list[str]:
    table = indexed[kind][0]._meta.table_name
    fts = _fts(kind)
    cols = (*indexed[kind][1], WORDS_COLUMN)
    listed = ", ".join(f'"{c}"' for c in cols)
    new = ", ".join(f'new."{c}"' for c in cols)
    old = ", ".join(f'old."{c}"' for c in cols)
    delete = f"INSERT INTO \"{fts}\" (\"{fts}\", rowid, {listed}) VALUES ('delete', old.id, {old});"
    insert = f'INSERT INTO "{fts}" (rowid, {listed}) VALUES (new.id, {new});'
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({listed}, content=\'{table}\', content_rowid=\'id\', '
        f"tokenize='{TOKENIZE}', prefix='{PREFIXES}')",
        f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF {listed} ON "{table}" BEGIN {delete} {insert} END',
    ]


def _postgres_index(kind: str) -> str:
    return f"{INDEXED[kind][0]._meta.table_name}_search"


def _postgres_document(kind: str, alias: str = "", indexed: Indexed | None = None) -> str:
    """The text PostgreSQL indexes: the row's own text (so rows a bulk load wrote are found by it) and its words."""
    prefix = f"{alias}." if alias else ""
    return " || ' ' || ".join(f'{prefix}"{c}"' for c in (*(indexed or INDEXED)[kind][1], WORDS_COLUMN))


# Entries newest first across all clients: what search walks when a word is everywhere (models/store/searching.py).
TIME_INDEXES = {"interaction": ("at", "id"), "note": ("at", "id"), "promise": ("made_at", "id")}


def _time_index(kind: str) -> str:
    return f"{INDEXED[kind][0]._meta.table_name}_newest"


def drop(db: pw.Database) -> None:
    """Remove the index (not the `search_words` column)."""
    for kind in INDEXED:
        if is_postgres(db):
            db.execute_sql(f'DROP INDEX IF EXISTS "{_postgres_index(kind)}"')
            continue
        fts = _fts(kind)
        for suffix in ("insert", "delete", "update"):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
        db.execute_sql(f'DROP TABLE IF EXISTS "{fts}"')


def install(db: pw.Database, indexed: Indexed | None = None) -> None:
    """(Re)create the index and build it for the rows there are (inside the caller's transaction).

    Both roads call it: a new office (migrations.create_schema) and the upgrade step, which passes the
    columns as they were at its version (a later step's column does not exist yet while it runs); a later
    step that changes INDEXED calls it again.
    """
    indexed = indexed or INDEXED
    drop(db)
    refresh_all(db, indexed=indexed)
    for kind, columns in TIME_INDEXES.items():
        table = INDEXED[kind][0]._meta.table_name
        listed = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{_time_index(kind)}" ON "{table}" ({listed})')
    for kind in indexed:
        if is_postgres(db):
            table = indexed[kind][0]._meta.table_name
            db.execute_sql(f'CREATE INDEX "{_postgres_index(kind)}" ON "{table}" '
                           f"USING GIN (to_tsvector('simple', {_postgres_document(kind, '', indexed)}))")
        else:
            for sql in _sqlite_statements(kind, indexed):
                db.execute_sql(sql)
            _rebuild_fts(db, kind)


def rebuild(db: pw.Database, *, clients: Iterable[int] | None = None) -> None:
    """After bulk work: recompute `search_words` (of these clients' rows, or all) and rebuild the index."""
    if clients is not None:
        refresh_all(db, clients=clients)  # the triggers re-index the rows whose words changed
        return
    refresh_all(db)
    db.execute(t.Meta.delete().where(t.Meta.key == CATCH_UP_KEY))  # every row's words are the country's now
    if not is_postgres(db):
        for kind in INDEXED:
            _rebuild_fts(db, kind)


# --- catching up with a new office country --------------------------------------------------------------------
#
# A phone number written without its country code is read in the office's country, so changing the country changes
# the search words of every row that holds one. The settings write recomputes the clients' own (a few thousand rows)
# and leaves a mark in `meta` for the entries (up to millions): per kind, the id the catch-up has come down to.
# catch_up_step() does one short write transaction of it at a time (any desk, in turn: each step reads the mark
# inside its transaction), newest rows first, each kind a little per step, looking only at rows with six digits or
# more (a phone number has them) among the next CATCH_UP_SPAN ids. Rows written meanwhile get the new country's words
# from the store.

CATCH_UP_KEY = "search_catch_up"
CATCH_UP_KINDS = ("interaction", "note", "promise")
CATCH_UP_SPAN = 20_000  # ids of one kind looked at in one step
CATCH_UP_ROWS = 500  # rows of one kind recomputed in one step at most (a step holds the write lock for tens of ms)


def start_catch_up() -> None:
    """Mark every entry's search words to be recomputed, newest first (inside the write that changed the country)."""
    value = json.dumps(dict.fromkeys(CATCH_UP_KINDS))  # None: from the newest row down
    t.Meta.insert(key=CATCH_UP_KEY, value=value).on_conflict(
        conflict_target=[t.Meta.key], update={t.Meta.value: value}).execute()


def _digits_sql(column: str, db: pw.Database) -> str:
    """A condition true when the column holds six digits or more (every phone number does; most text does not)."""
    if is_postgres(db):
        return f"\"{column}\" ~ '([0-9][^0-9]*){{{_MIN_PHONE_DIGITS}}}'"
    return f"\"{column}\" GLOB '{'*[0-9]' * _MIN_PHONE_DIGITS}*'"


def catch_up_step(db: pw.Database) -> tuple[int, int, int] | None:
    """One step of the catch-up (inside the caller's write transaction): (rows changed, ids passed, ids in all), or
    None when there is nothing to catch up."""
    row = db.execute(t.Meta.select(t.Meta.value).where(t.Meta.key == CATCH_UP_KEY)).fetchone()
    if row is None:
        return None
    try:
        state = json.loads(row[0])
        left = {k: (None if state[k] is None else int(state[k])) for k in CATCH_UP_KINDS if k in state}
    except (ValueError, KeyError, TypeError, AttributeError):  # a mark this version cannot read: start again
        left = dict.fromkeys(CATCH_UP_KINDS)
    country = office_country(db)
    tops = {k: _top_id(db, k) for k in CATCH_UP_KINDS}
    changed = 0
    for kind, below in list(left.items()):
        below = tops[kind] + 1 if below is None else below
        table, columns = INDEXED[kind]
        holds = " OR ".join(_digits_sql(c, db) for c in columns)
        ids = [i for (i,) in db.execute_sql(
            f'SELECT "id" FROM "{table._meta.table_name}" WHERE "id" < {db.param} AND "id" >= {db.param} '
            f'AND ({holds}) ORDER BY "id" DESC LIMIT {CATCH_UP_ROWS}', (below, below - CATCH_UP_SPAN)).fetchall()]
        changed += refresh_rows(kind, ids, country, db)
        below = ids[-1] if len(ids) == CATCH_UP_ROWS else below - CATCH_UP_SPAN
        if below <= 1:
            del left[kind]
        else:
            left[kind] = below
    total = sum(tops.values())
    passed = total - sum(min(tops[k], (b or tops[k] + 1) - 1) for k, b in left.items())
    if not left:
        db.execute(t.Meta.delete().where(t.Meta.key == CATCH_UP_KEY))
        return changed, total, total
    db.execute(t.Meta.update(value=json.dumps(left)).where(t.Meta.key == CATCH_UP_KEY))
    return changed, passed, total


def _top_id(db: pw.Database, kind: str) -> int:
    name = INDEXED[kind][0]._meta.table_name
    return int(db.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "{name}"').fetchone()[0])


def _rebuild_fts(db: pw.Database, kind: str) -> None:
    """Build one FTS5 table afresh from its rows, merged into one segment (queries read one list per word)."""
    fts = _fts(kind)
    db.execute_sql(f"INSERT INTO \"{fts}\" (\"{fts}\") VALUES ('rebuild')")
    db.execute_sql(f"INSERT INTO \"{fts}\" (\"{fts}\") VALUES ('optimize')")


def problem(db: pw.Database) -> str | None:
    """What is wrong with the index, in words for the log (None when it is whole)."""
    if is_postgres(db):
        return None
    for kind in INDEXED:
        fts = _fts(kind)
        try:
            db.execute_sql(f"INSERT INTO \"{fts}\" (\"{fts}\", rank) VALUES ('integrity-check', 1)")
        except (pw.DatabaseError, pw.OperationalError) as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise
            return f"{fts}: {exc}"
    return None


def size_bytes(db: pw.Database) -> int:
    """The index's size on disk (SQLite: its shadow tables' pages; PostgreSQL: its GIN indexes)."""
    if is_postgres(db):
        names = ", ".join(f"'{_postgres_index(k)}'" for k in INDEXED)
        row = db.execute_sql(f"SELECT COALESCE(SUM(pg_relation_size(c.oid)), 0) FROM pg_class c "
                             f"WHERE c.relname IN ({names})").fetchone()
        return int(row[0])
    like = " OR ".join(f"name LIKE '{_fts(k)}_%'" for k in INDEXED)
    try:
        row = db.execute_sql(f"SELECT SUM(pgsize) FROM dbstat WHERE {like}").fetchone()
        return int(row[0] or 0)
    except (pw.OperationalError, pw.DatabaseError):  # dbstat is not compiled in everywhere
        page = db.execute_sql("PRAGMA page_size").fetchone()[0]
        total = 0
        for kind in INDEXED:
            fts = _fts(kind)
            total += db.execute_sql(f'SELECT SUM(LENGTH(block)) FROM "{fts}_data"').fetchone()[0] or 0
        return int(total // page * page)


# --- the query ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """One thing typed: it matches when any of its alternatives does; an alternative is words that all match."""

    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...]
    phone_keys: tuple[str, ...]  # for marking a phone number however it is written
    prefixes: tuple[str, ...] = ()  # every word of every term (filled by make_query)
    # the words starting with a prefix, in folded text (compiled once per query, for every snippet it marks)
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    match: tuple[str, str] = field(default=("", ""), compare=False)  # fts5_match() and tsquery(), made once


def make_query(terms: tuple[Term, ...], phone_keys: tuple[str, ...] = ()) -> Query:
    prefixes = tuple(dict.fromkeys(w for term in terms for alt in term.alternatives for w in alt))
    plain = Query(terms, phone_keys, prefixes)
    return Query(terms, phone_keys, prefixes, _prefix_pattern(prefixes) if prefixes else None,
                 (fts5_match(plain), tsquery(plain)))


@lru_cache(maxsize=256)
def parse(text: str, country: str) -> Query:
    """What a person typed as search terms: every word a prefix, a phone number however written, no operators.

    Remembered for the last few texts (a Query is immutable): the client filter and quick find ask for the same
    text in turn, and a search reads it only once.
    """
    terms: list[Term] = []
    keys: list[str] = []
    rest = text
    for run in reversed(phone_runs(text)):
        raw = run.group()
        digits = "".join(c for c in raw if c.isdigit())
        key = normalise.phone_key(raw, country)
        alts = list(dict.fromkeys(a for a in (key, digits, digits.lstrip("0")) if a))
        keys.extend(a for a in (key, digits.lstrip("0")) if a)
        plain = tuple(_TOKEN.findall(raw))
        terms.append(Term(tuple((a,) for a in alts) + ((plain,) if len(plain) > 1 else ())))
        rest = rest[:run.start()] + " " + rest[run.end():]
    terms.reverse()
    for chunk in rest.replace("_", " ").split():
        forms = normalise.words(chunk)
        if not forms:
            continue
        if len(forms) == 1:
            terms.append(Term(((forms[0],),)))
        else:  # "o'brien" -> obrien; "smith-jones" -> smithjones, or smith and jones
            terms.append(Term(((forms[-1],), tuple(forms[:-1]))))
    return make_query(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(keys)))


def fts5_match(query: Query) -> str:
    """The FTS5 MATCH expression: every term quoted as a prefix, nothing typed read as an operator."""
    def alt(words: tuple[str, ...]) -> str:
        inner = " AND ".join(f'"{w}"*' for w in words)
        return inner if len(words) == 1 else f"({inner})"
    return " AND ".join(
        alt(term.alternatives[0]) if len(term.alternatives) == 1
        else "(" + " OR ".join(alt(a) for a in term.alternatives) + ")"
        for term in query.terms)


def tsquery(query: Query) -> str:
    """The same for PostgreSQL's to_tsquery('simple', ...)."""
    def alt(words: tuple[str, ...]) -> str:
        inner = " & ".join(f"'{w}':*" for w in words)
        return inner if len(words) == 1 else f"({inner})"
    return " & ".join("(" + " | ".join(alt(a) for a in term.alternatives) + ")" for term in query.terms)


def words_match(query: Query, words: set[str]) -> bool:
    """Whether a row with these folded words matches (what the index answers, asked of one row in Python)."""
    return all(any(all(any(w.startswith(p) for w in words) for p in alt) for alt in term.alternatives)
               for term in query.terms)


def row_words(texts: Iterable[str]) -> set[str]:
    """The folded words of a row's texts and its search words, for words_match()."""
    out: set[str] = set()
    for text in texts:
        if text:
            out.update(_TOKEN.findall(text.lower() if text.isascii() else normalise.fold(text)))
    return out


def probe_sql(kinds: Iterable[str], db: pw.Database, cap: int) -> str:
    """How many rows (up to `cap`) of each kind match one word prefix, in one statement: the index's cheap
    estimate of how common a word is."""
    counts = []
    for kind in kinds:
        if is_postgres(db):
            table = INDEXED[kind][0]._meta.table_name
            counts.append(f'(SELECT COUNT(*) FROM (SELECT 1 FROM "{table}" x WHERE to_tsvector(\'simple\', '
                          f"{_postgres_document(kind, 'x')}) @@ to_tsquery('simple', {db.param}) LIMIT {int(cap)}) p)")
        else:
            fts = _fts(kind)
            counts.append(f'(SELECT COUNT(*) FROM (SELECT 1 FROM "{fts}" WHERE "{fts}" MATCH {db.param} '
                          f"LIMIT {int(cap)}))")
    return "SELECT " + ", ".join(counts)


def probe_param(word: str, db: pw.Database) -> str:
    """The probe for a word: its first three letters as a prefix (a prefix index answers those without
    gathering every word they start), an upper bound on how many rows the word itself matches."""
    stem = word[:3]
    return f"'{stem}':*" if is_postgres(db) else f'"{stem}"*'


def match_sql(kind: str, alias: str, db: pw.Database) -> tuple[str, str]:
    """(FROM-clause join, WHERE condition) matching rows of `kind` (alias `alias`) against one parameter."""
    if is_postgres(db):
        return "", f"to_tsvector('simple', {_postgres_document(kind, alias)}) @@ to_tsquery('simple', {db.param})"
    fts = _fts(kind)
    return f' JOIN "{fts}" ON "{fts}".rowid = {alias}.id', f'"{fts}" MATCH {db.param}'


def match_param(query: Query, db: pw.Database) -> str:
    """The MATCH (SQLite) or to_tsquery (PostgreSQL) text of a query (made with it, by make_query)."""
    return query.match[1 if is_postgres(db) else 0]


def client_rank(db: pw.Database) -> str:
    """ORDER BY for clients, best match first (a match in the name counts most)."""
    if is_postgres(db):
        name = "setweight(to_tsvector('simple', c.name), 'A')"
        return (f"ts_rank({name} || to_tsvector('simple', {_postgres_document('client', 'c')}), "
                f"to_tsquery('simple', {db.param})) DESC, c.name, c.id")
    weights = ", ".join("10" if c == "name" else "1" if c == "address" else "4" for c in CLIENT_COLUMNS)
    return f'bm25("{_fts("client")}", {weights}, 4), c.name, c.id'


# --- marking what matched -------------------------------------------------------------------------

_JOINERS = re.compile(r"[^\W_]['’ʼ`´‘\-.][^\W_]")
_COMPOUND = re.compile(r"[^\W_]+(?:['’ʼ`´‘\-.][^\W_]+)*")


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The text folded (normalise.fold), and where each folded character came from when lengths differ."""
    folded = text.lower() if text.isascii() else normalise.fold(text)  # ASCII folds to its lower case
    if len(folded) == len(text):
        return folded, None  # one character for one: the usual case, positions line up
    out, origin = [], []
    for i, c in enumerate(text):
        f = normalise.fold(c)
        out.append(f)
        origin.extend([i] * len(f))
    origin.append(len(text))
    return "".join(out), origin


def _ascii_joined(folded: str) -> bool:
    """Whether ASCII text may hold an O'Brien or a Smith-Jones (_JOINERS), asked of its few joining characters
    first: most texts have none, and four substring tests cost a fraction of the pattern."""
    return ("'" in folded or "-" in folded or "." in folded or "`" in folded) and _JOINERS.search(folded) is not None


@lru_cache(maxsize=64)
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*")


def marks_in(text: str, query: Query, country: str) -> list[tuple[int, int]]:
    """The spans of `text` that the query matched (words from their start; phone numbers whole)."""
    if query.pattern is not None and not query.phone_keys and text.isascii():
        folded = text.lower()  # ASCII folds to its lower case, one character for one
        if not _ascii_joined(folded):  # the usual text: the query's one pattern finds every span, in order,
            return [m.span() for m in query.pattern.finditer(folded)]  # none touching another (nothing to merge)
    prefixes = query.prefixes
    folded, origin = _folded(text)
    spans: list[tuple[int, int]] = []
    joined = _JOINERS.search(folded)
    if not joined and prefixes:  # no O'Brien or Smith-Jones in it: one pattern finds every word starting with a prefix
        spans = [m.span() for m in (query.pattern or _prefix_pattern(prefixes)).finditer(folded)]
    for m in _COMPOUND.finditer(folded) if joined else ():
        word = m.group()
        if _TOKEN.fullmatch(word):  # one plain word
            if word.startswith(prefixes):
                spans.append((m.start(), m.end()))
            continue
        parts = [(p.start(), p.end(), p.group()) for p in _TOKEN.finditer(word)]
        whole = "".join(f for _, _, f in parts)
        if len(parts) > 1 and whole.startswith(prefixes):
            spans.append((m.start(), m.end()))
            continue
        spans.extend((m.start() + a, m.start() + b) for a, b, f in parts if f.startswith(prefixes))
    if origin is not None:
        spans = [(origin[a], origin[b - 1] + 1) for a, b in spans]
    if query.phone_keys:
        for run in phone_runs(text):
            key = normalise.phone_key(run.group(), country)
            if any(key.startswith(k) or k.startswith(key) for k in query.phone_keys):
                spans.append((run.start(), run.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(texts: Iterable[str], query: Query, country: str, width: int = 140) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line piece of the first text with a match (the first text when none shows), and its marks.

    A search marks every hit it returns, so the usual case stays short: ASCII text without an O'Brien in it and
    no phone number typed is marked by the query's one pattern (what marks_in would find), and a text that fits
    the width on one line is its own snippet.
    """
    chosen, marks = "", []
    pattern = query.pattern if not query.phone_keys else None
    prefixes = query.prefixes
    for text in texts:
        if not text:
            continue
        if not chosen:
            chosen = text
        if pattern is not None and len(text) <= 20_000 and text.isascii():
            folded = text.lower()
            if not _ascii_joined(folded):
                for prefix in prefixes:  # a word that starts with it holds it: most texts are passed over here
                    if prefix in folded:
                        found = [m.span() for m in pattern.finditer(folded)]
                        if found:
                            chosen, marks = text, found
                        break
                if marks:
                    break
                continue
        found = marks_in(text if len(text) <= 20_000 else text[:20_000], query, country)
        if found:
            chosen, marks = text, found
            break
    if not chosen:
        return "", ()
    if len(chosen) <= width and "\n" not in chosen:  # the whole text, marks as they are
        return chosen, tuple(marks)
    start = 0
    if len(chosen) > width and marks:
        start = max(0, marks[0][0] - width // 3)
        while start > 0 and not chosen[start - 1].isspace() and marks[0][0] - start < width // 2:
            start -= 1
    piece = chosen[start:start + width]
    shown = " ".join(piece.splitlines()) if "\n" in piece else piece
    if len(shown) != len(piece):  # a CRLF-free text keeps its length; be safe with anything else
        shown = piece.replace("\n", " ").replace("\r", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(chosen) else ""
    off = len(prefix) - start
    kept = tuple((max(a + off, len(prefix)), min(b + off, len(prefix) + len(shown)))
                 for a, b in marks if b > start and a < start + width)
    return prefix + shown + suffix, kept
