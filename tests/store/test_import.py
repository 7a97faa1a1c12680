"""Importing contacts (issue 15): bad input, dry run, idempotence, updates, cancel, revert, export round trips."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from models import store
from tests.store.conftest import database_rows

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"


@pytest.fixture
def anna(sqlite_office: Path) -> int:
    return store.add_staff("Anna Keller", role="admin").id


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def refused(path: Path, anna: int) -> str:
    """The sentence a file is refused with; the office is unchanged by the attempt (and by a preview)."""
    before = database_rows(presence=False)
    with pytest.raises(store.ValidationError) as preview:
        store.preview_import(path)
    with pytest.raises(store.ValidationError) as error:
        store.import_contacts(path, by=anna)
    assert database_rows(presence=False) == before
    assert preview.value.message == error.value.message and error.value.field == "file"
    return error.value.message


# --- bad input ---------------------------------------------------------------------------------------

def test_files_that_are_not_contact_lists_are_refused_with_a_sentence(anna: int, tmp_path: Path) -> None:
    assert refused(DATA / "empty.csv", anna) == "The file is empty: there are no contacts in it."
    assert "Excel workbook" in refused(DATA / "workbook-named.csv", anna)
    assert "holds no contacts below them" in refused(DATA / "header-only.csv", anna)
    assert "does not hold text" in refused(DATA / "junk.csv", anna)
    assert "cannot find or open" in refused(tmp_path / "gone.csv", anna)


def test_a_200_mb_file_is_refused_up_front_by_its_size(anna: int, tmp_path: Path) -> None:
    huge = tmp_path / "everyone.csv"
    with open(huge, "wb") as handle:  # sparse: no disk is used, and nothing reads it
        handle.write(b"Name,Email\n")
        handle.truncate(200 * 1024 * 1024)
    sentence = refused(huge, anna)
    assert sentence.startswith("The file is 200 MB; Rapport imports contact files of up to 50 MB")


def test_a_thousand_columns_import_and_the_unknown_ones_become_a_note(anna: int, tmp_path: Path) -> None:
    header = ["Name", "Email"] + [f"Extra {i}" for i in range(998)]
    row = ["Nora Quinn", "nora@example.com"] + [""] * 997 + ["the last one"]
    report = store.import_contacts(write_csv(tmp_path / "wide.csv", [header, row]), by=anna)
    assert report.created == 1
    entries = store.timeline(report.rows[0].client_id).entries
    assert [e.text for e in entries] == ["Extra 997: the last one"]
    too_wide = write_csv(tmp_path / "too-wide.csv", [[f"C{i}" for i in range(2500)], ["x"] * 2500])
    assert refused(too_wide, anna).startswith("The file has 2,500 columns; Rapport reads contact files of up to 2,000")


def test_a_vcard_with_no_name_uses_the_organisation_then_the_email_else_is_a_problem(anna: int,
                                                                                      tmp_path: Path) -> None:
    report = store.import_contacts(DATA / "no-name.vcf", by=anna)
    assert [(r.row, r.action, r.name) for r in report.rows] == [
        (1, "create", "Harbour Bakery"), (2, "create", "mo@example.org"), (3, "problem", "")]
    assert [p.sentence for p in report.problems] == [
        "row 3: it has no name, organisation or email address, so Rapport cannot tell who it is"]
    assert sorted(c.name for c in store.list_clients()) == ["Harbour Bakery", "mo@example.org"]
    out = tmp_path / "problems.csv"
    assert store.save_import_problems(DATA / "no-name.vcf", report, out) == 1
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-1] == "Rapport: problem" and rows[1][2] == "01632 960222"  # the card's phone, to fix


def test_a_field_of_100000_characters_is_a_problem_row_and_the_other_rows_import(anna: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", [["Name", "Email", "Notes"], ["A" * 100_000, "a@example.com", ""],
                                             ["Bea Long", "bea@example.com", "n" * 100_001],
                                             ["Cy Fine", "cy@example.com", "ok"]])
    report = store.import_contacts(path, by=anna)
    assert [p.sentence for p in report.problems] == [
        "row 2: the name is 100,000 characters long; at most 500 fit",
        "row 3: its notes are 100,001 characters long; at most 100,000 fit"]
    assert [c.name for c in store.list_clients()] == ["Cy Fine"]


def test_a_utf16_csv_without_a_bom_is_read(anna: int, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("Name\tE-mail Address\tMobile Phone\r\nZoë Ó'Brien\tzoe@example.ie\t+353 1 555 0101\r\n"
                     .encode("utf-16-le"))
    preview = store.preview_import(path)
    assert (preview.encoding, preview.encoding_guessed) == ("utf-16-le", True)
    report = store.import_contacts(path, by=anna)
    assert [(c.name, c.email, c.phone) for c in store.list_clients()] == [
        ("Zoë Ó'Brien", "zoe@example.ie", "+353 1 555 0101")]
    assert report.created == 1


def test_semicolons_cp1252_and_line_breaks_in_quotes_and_a_bad_email_named_by_row(anna: int) -> None:
    preview = store.preview_import(DATA / "semicolon-cp1252.csv")
    assert preview.encoding == "cp1252" and preview.columns == ("Name", "Firma", "E-Mail", "Notizen")
    assert preview.mapping == {"Name": "name", "Firma": "organisation", "E-Mail": "email", "Notizen": "note"}
    report = store.import_contacts(DATA / "semicolon-cp1252.csv", by=anna)
    assert [p.sentence for p in report.problems] == ["row 4: the email 'bob@' is not an email address"]
    juergen = next(c for c in store.list_clients() if c.email == "juergen@example.de")
    assert (juergen.name, juergen.organisation) == ("Müller, Jürgen", "Bäckerei Schön")
    assert [e.text for e in store.timeline(juergen.id).entries] == ["erste Zeile\nzweite Zeile; mit Semikolon"]


def test_the_person_can_correct_the_character_set(anna: int) -> None:
    wrong = store.preview_import(DATA / "semicolon-cp1252.csv", encoding="cp1251")
    assert wrong.rows[0].organisation != "Bäckerei Schön"
    with pytest.raises(store.ValidationError) as error:
        store.preview_import(DATA / "semicolon-cp1252.csv", encoding="utf-8")
    assert error.value.message == "The file cannot be read as Unicode (UTF-8). Choose another character set."


# --- dry run, matching, idempotence ------------------------------------------------------------------

def test_a_dry_run_writes_nothing_and_says_what_the_import_will_do(anna: int, tmp_path: Path) -> None:
    existing = store.add_client(name="Oliver Thompson", by=anna, email="oliver@example.com").id
    path = write_csv(tmp_path / "c.csv", [["Name", "Email", "Phone"],
                                          ["Oliver T", "OLIVER@example.com", "01632 960001"],
                                          ["Isla Walsh", "isla@example.com", ""], ["Isla W.", "isla@example.com", ""],
                                          ["Bob", "bob@", ""]])
    before = database_rows(presence=False)
    dry = store.import_contacts(path, by=anna, dry_run=True)
    assert database_rows(presence=False) == before
    assert dry.import_id is None
    assert [(r.row, r.action, r.client_id, r.changed) for r in dry.rows] == [
        (2, "update", existing, ("phone", "more_details")), (3, "create", None, ()),
        (4, "update", None, ("more_details",)),
        (5, "problem", None, ())]
    real = store.import_contacts(path, by=anna)
    assert [r.action for r in real.rows] == [r.action for r in dry.rows]
    assert (real.created, real.updated, real.unchanged, len(real.problems)) == (1, 2, 0, 1)
    assert store.get_client(existing).phone == "01632 960001"
    assert store.get_client(existing).name == "Oliver Thompson"  # what the office typed is kept
    assert store.get_client(existing).more_details == "Other name: Oliver T"


def test_matching_by_phone_then_exact_name_and_organisation_and_other_values_are_kept(anna: int,
                                                                                        tmp_path: Path) -> None:
    by_phone = store.add_client(name="Priya Shah", by=anna, phone="+44 1632 960407", email="priya@old.example").id
    by_name = store.add_client(name="Tom Reid", by=anna, organisation="Quayside Dental").id
    path = write_csv(tmp_path / "c.csv", [["First Name", "Last Name", "Company", "Mobile Phone", "E-mail Address"],
                                          ["Priya", "Shah", "", "01632 960407", ""],
                                          ["Tom", "Reid", "Quayside Dental", "", "tom@quayside.example"],
                                          ["Tom", "Reid", "Other Firm", "", ""]])
    store.update_office_settings(version=store.office_settings().version, by=anna, country="GB")
    report = store.import_contacts(path, by=anna)
    assert [(r.action, r.client_id) for r in report.rows][:2] == [("unchanged", by_phone), ("update", by_name)]
    assert report.rows[2].action == "create"  # another organisation: another person
    assert store.get_client(by_name).email == "tom@quayside.example"
    other = write_csv(tmp_path / "d.csv", [["Name", "Email", "Phone"], ["Priya Shah", "priya@new.example",
                                                                         "01632 960999"]])
    report = store.import_contacts(other, by=anna)
    # another email and phone, but the same name (and no organisation): the same client, and nothing replaced
    assert (report.rows[0].action, report.rows[0].client_id) == ("update", by_phone)
    assert store.get_client(by_phone).email == "priya@old.example"
    again = write_csv(tmp_path / "e.csv", [["Name", "Email", "Phone", "Email 2"],
                                           ["Priya Shah", "priya@old.example", "01632 960999", "p@home.example"]])
    report = store.import_contacts(again, by=anna)
    assert (report.rows[0].action, report.rows[0].changed) == ("update", ("more_details",))
    assert store.get_client(by_phone).more_details == (
        "Phone: 01632 960999\nEmail: priya@new.example\nEmail: p@home.example")
    assert store.import_contacts(again, by=anna).unchanged == 1
    assert [c.id for c in store.list_clients(text="p@home.example")] == [by_phone]  # More contact details is searched


def test_a_vcard_uid_is_remembered_so_a_changed_card_finds_its_client(anna: int, tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-123\r\nFN:Ada Byrne\r\nEMAIL:{}\r\nEND:VCARD\r\n"
    first = tmp_path / "a.vcf"
    first.write_text(card.format("ada@one.example"))
    created = store.import_contacts(first, by=anna).rows[0].client_id
    first.write_text(card.format("ada@two.example"))
    report = store.import_contacts(first, by=anna)
    assert (report.rows[0].action, report.rows[0].client_id) == ("update", created)
    assert "Email: ada@two.example" in store.get_client(created).more_details


# --- batches, cancel, revert -------------------------------------------------------------------------

def test_cancel_leaves_whole_batches_and_revert_takes_them_back(anna: int, tmp_path: Path) -> None:
    rows = [["Name", "Email"]] + [[f"Person {i:04d}", f"p{i}@example.com"] for i in range(600)]
    path = write_csv(tmp_path / "many.csv", rows)
    seen: list[tuple[int, int]] = []
    report = store.import_contacts(path, by=anna, progress=lambda done, total: bool(seen.append((done, total))),
                                   batch=250)
    assert seen == [(250, 600)] and report.cancelled and report.created == 250
    assert len(store.list_clients()) == 250
    info = store.list_imports()[0]
    assert (info.file_name, info.created, info.status, info.by_name) == ("many.csv", 250, "cancelled", "Anna Keller")
    store.revert_import(report.import_id, by=anna)
    assert store.list_clients() == [] and store.list_imports()[0].status == "reverted"
    full = store.import_contacts(path, by=anna, progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen[1:]]
    assert done == sorted(done) and done[-1] == 600 and full.created == 600  # batches sized to stay short


def test_revert_is_for_administrators_and_keeps_what_colleagues_touched_unless_confirmed(anna: int,
                                                                                         tmp_path: Path) -> None:
    ben = store.add_staff("Ben Okafor", by=anna).id
    kept = store.add_client(name="Oliver Thompson", by=anna, email="oliver@example.com").id
    path = write_csv(tmp_path / "c.csv", [["Name", "Email", "Phone", "Notes"],
                                          ["Oliver", "oliver@example.com", "01632 960001", ""],
                                          ["Isla Walsh", "isla@example.com", "", "met at the fair"],
                                          ["Nora Quinn", "nora@example.com", "", ""]])
    report = store.import_contacts(path, by=ben)
    isla, nora = (r.client_id for r in report.rows[1:])
    with pytest.raises(store.PermissionDenied):
        store.revert_import(report.import_id, by=ben)
    nora_now = store.get_client(nora)
    store.update_client(nora, version=nora_now.version, by=ben, organisation="Northgate Plumbing")
    assert store.touched_since_import(report.import_id) == ((nora, "Nora Quinn"),)
    store.revert_import(report.import_id, by=anna)
    assert store.get_client(kept).phone == ""  # the update is undone
    assert store.get_client(isla).deleted_at is not None and store.get_client(nora).deleted_at is None
    assert store.timeline(isla).entries == [] or all(e.deleted_at for e in store.timeline(isla).entries)
    with pytest.raises(store.ValidationError):
        store.revert_import(report.import_id, by=anna)


def test_revert_with_touched_confirmed_takes_everything_back(anna: int, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Nora Quinn", "nora@example.com"]])
    report = store.import_contacts(path, by=anna)
    nora = report.rows[0].client_id
    store.add_note(nora, by=anna, text="Called about the quote")
    store.revert_import(report.import_id, by=anna, keep_touched=False)
    assert store.get_client(nora).deleted_at is not None


# --- problem rows, export round trips ----------------------------------------------------------------

def test_problem_rows_are_saved_to_a_csv_that_imports_once_fixed(anna: int, tmp_path: Path) -> None:
    report = store.import_contacts(DATA / "semicolon-cp1252.csv", by=anna)
    out = tmp_path / "problems.csv"
    assert store.save_import_problems(DATA / "semicolon-cp1252.csv", report, out) == 1
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["Name", "Firma", "E-Mail", "Notizen", "Rapport: problem"],
                    ["Bob Stone", "", "bob@", "Tippfehler", "the email 'bob@' is not an email address"]]
    rows[1][2] = "bob@stone.example"
    write_csv(out, rows)
    fixed = store.import_contacts(out, by=anna)
    assert (fixed.created, fixed.problems) == (1, ())
    assert [e.text for e in store.timeline(fixed.rows[0].client_id).entries] == ["Tippfehler"]


@pytest.mark.parametrize("kind", ["3.0", "4.0", "csv"])
def test_an_export_imports_back_with_nothing_lost_or_doubled(anna: int, tmp_path: Path, kind: str) -> None:
    made = [
        store.add_client(name="Zoë Ó'Brien", by=anna, organisation="Harbour Bakery", phone="+353 1 555 0101",
                         email="zoe@example.ie", address="1 Quay Street\nDublin 2\nIreland",
                         more_details="Phone (Mobile): +353 87 555 0102\nEmail (home): zoe@home.example\n"
                                      "Address (home): 4 Lane, Cork\nWebsite: https://bakery.example\n"
                                      "Job title: Owner\nBirthday: 1980-02-03\nSpouse: Cian, who bakes").id,
        store.add_client(name="Tom Reid", by=anna).id,
    ]
    out = tmp_path / ("out.csv" if kind == "csv" else "out.vcf")
    if kind == "csv":
        assert store.export_clients_csv(out) == 2
    else:
        assert store.export_vcards(out, version=kind) == 2
        assert out.read_text().count(f"VERSION:{kind}") == 2
    again = store.import_contacts(out, by=anna)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    originals = [store.get_client(c) for c in made]
    store.close()
    store.open(tmp_path / "other.db")
    other = store.add_staff("Ola Berg").id
    report = store.import_contacts(out, by=other)
    assert report.created == 2 and report.problems == ()
    for original in originals:
        copy = next(c for c in store.list_clients() if c.name == original.name)
        copy = store.get_client(copy.id)
        fields = ("name", "organisation", "phone", "email", "address", "more_details")
        assert [getattr(copy, f) for f in fields] == [getattr(original, f) for f in fields]
    assert store.import_contacts(out, by=other).created == 0


def test_export_of_a_selection_keeps_its_order(anna: int, tmp_path: Path) -> None:
    a = store.add_client(name="Ann", by=anna).id
    b = store.add_client(name="Bo", by=anna).id
    out = tmp_path / "sel.csv"
    assert store.export_clients_csv(out, [b, a]) == 2
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert [r[0] for r in csv.reader(handle)] == ["Name", "Bo", "Ann"]
    with pytest.raises(store.ValidationError):
        store.export_vcards(out, version="2.1")
    assert os.path.exists(out)


def test_a_csv_of_chosen_columns_and_the_uid_rapport_gave_brings_the_same_client_back(anna: int,
                                                                                       tmp_path: Path) -> None:
    """The client list's CSV (its visible columns, as shown): a client with neither phone nor email, exported
    without her organisation, is still recognised by the UID Rapport gave her, even after a rename."""
    nora = store.add_client(name="Nora Quinn", by=anna, organisation="Harbour Bakery").id
    out = tmp_path / "list.csv"
    assert store.export_clients_csv(out, [nora], columns=[("name", "Kunde"), "score", "uid"]) == 1
    with open(out, encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header == ["Kunde", "Score", "UID"] and row[0] == "Nora Quinn" and row[2].startswith("urn:uuid:")
    vcf = tmp_path / "nora.vcf"
    store.export_vcards(vcf, [nora])
    assert f"UID:{row[2]}" in vcf.read_text()  # one identity in both kinds of file
    client = store.get_client(nora)
    store.update_client(nora, by=anna, version=client.version, name="Nora Quinn-Byrne")
    report = store.import_contacts(out, by=anna, mapping={"Kunde": "name", "Score": "skip", "UID": "uid"})
    assert (report.created, report.updated) == (0, 1) and report.rows[0].client_id == nora
    assert store.get_client(nora).more_details == "Other name: Nora Quinn"
    assert store.import_contacts(vcf, by=anna).created == 0
    for bad in (["name", "shoe size"], [], "name", [("name",)], [("name", "")], [3]):
        with pytest.raises(store.ValidationError) as error:
            store.export_clients_csv(out, [nora], columns=bad)
        assert error.value.field == "columns"


def test_import_and_revert_on_both_engines(office: str, tmp_path: Path) -> None:
    anna = store.add_staff("Anna Keller", role="admin").id
    report = store.import_contacts(DATA / "semicolon-cp1252.csv", by=anna)
    assert (report.created, len(report.problems)) == (2, 1)
    assert store.import_contacts(DATA / "semicolon-cp1252.csv", by=anna).created == 0
    store.revert_import(report.import_id, by=anna)
    assert store.list_clients() == []


def test_imported_clients_are_found_as_possible_duplicates_and_a_revert_forgets_them(office: str, anna: int,
                                                                                      tmp_path) -> None:
    """The import keeps the duplicate keys (issue 16) the way add_client does: one matching for both."""
    path = tmp_path / "one.csv"
    path.write_text("Name,Phone,Email\nAisha Clarke,01632 960703,aisha@example.com\n", encoding="utf-8")
    report = store.import_contacts(path, by=anna)
    [row] = report.rows
    similar = store.similar_clients(name="Aisha Clarke", phone="+44 1632 960703")
    assert [s.client_id for s in similar] == [row.client_id]
    store.revert_import(report.import_id, by=anna)
    assert store.similar_clients(name="Aisha Clarke", phone="+44 1632 960703") == ()


def test_a_possible_duplicate_is_shown_and_the_persons_decision_updates_that_client(anna: int,
                                                                                     tmp_path: Path) -> None:
    kate = store.add_client(name="Katherine Jones", by=anna, organisation="Quayside Dental",
                            email="kate@quayside.example").id
    path = write_csv(tmp_path / "c.csv", [["Name", "Company", "Email"],
                                          ["Kathryn Jones", "Quayside Dental", "k.jones@home.example"]])
    dry = store.import_contacts(path, by=anna, dry_run=True)
    assert dry.rows[0].action == "create" and dry.rows[0].similar == ((kate, "Katherine Jones"),)
    assert dry.duplicates == dry.rows
    decided = store.import_contacts(path, by=anna, same_as={2: kate})
    assert (decided.rows[0].action, decided.rows[0].client_id) == ("update", kate)
    assert store.get_client(kate).more_details == "Email: k.jones@home.example\nOther name: Kathryn Jones"
    assert [c.name for c in store.list_clients()] == ["Katherine Jones"]


def test_an_import_asks_before_bringing_back_a_person_the_office_erased(anna: int, tmp_path: Path) -> None:
    gone = store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001", email="oliver@example.com").id
    store.erase_client(gone, by=anna)
    path = write_csv(tmp_path / "c.csv", [["Name", "Phone", "Email"], ["Oliver Thompson", "01632 960001",
                                                                       "oliver@example.com"],
                                          ["Isla Walsh", "", "isla@example.com"]])
    report = store.import_contacts(path, by=anna)
    assert [(r.action, r.field) for r in report.rows] == [("problem", "erased"), ("create", "")]
    assert report.problems[0].sentence.startswith("row 2: Oliver Thompson was erased from the office")
    back = store.import_contacts(path, by=anna, bring_back={2})
    assert back.rows[0].action == "create" and back.rows[0].client_id != gone
