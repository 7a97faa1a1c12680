"""The layers of DESIGN.md, enforced: rules are pure, models never see Qt, the UI never sees peewee."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def imports_of(path: Path, root: Path = ROOT) -> list[str]:
    """Every module a file under `root` imports, as absolute dotted names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


UI_BANNED = ("peewee", "playhouse", "sqlite3", "psycopg", "models.db", "models.tables", "models.migrations")


def ui_leaks(path: Path, root: Path = ROOT) -> list[str]:
    """What a ui/ module imports that only models/ may import."""
    names = imports_of(path, root)
    return sorted({n for n in names if n in UI_BANNED or n.startswith(tuple(b + "." for b in UI_BANNED))})


@pytest.mark.parametrize("path", modules("models/rules"), ids=lambda p: str(p.relative_to(ROOT)))
def test_rules_import_only_the_standard_library(path: Path) -> None:
    foreign = [n for n in imports_of(path) if top(n) not in STDLIB and not n.startswith("models.rules")]
    assert not foreign, f"{path.name} imports {foreign}: models/rules may use the standard library only"


@pytest.mark.parametrize("path", modules("models/rules"), ids=lambda p: str(p.relative_to(ROOT)))
def test_rules_never_read_the_clock(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("):
        assert call not in text, f"{path.name} calls {call}: rules take `now` as a parameter"


@pytest.mark.parametrize("path", modules("models"), ids=lambda p: str(p.relative_to(ROOT)))
def test_models_never_import_qt(path: Path) -> None:
    qt = [n for n in imports_of(path) if top(n) in {"PySide6", "shiboken6", "PyQt5", "PyQt6", "ui"}]
    assert not qt, f"{path.name} imports {qt}: models/ is the app without a face"


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_never_reaches_past_the_store(path: Path) -> None:
    leaks = ui_leaks(path)
    assert not leaks, f"{path.name} imports {leaks}: the UI talks to models.store only"


def test_the_layering_check_would_catch_a_leak(tmp_path: Path) -> None:
    """The checker itself works, on a copy of the layout in a temporary folder (never in the source tree)."""
    (tmp_path / "ui").mkdir()
    fake = tmp_path / "ui" / "_layering_probe.py"
    fake.write_text("from peewee import Model\nimport models.tables as t\nfrom .tasks import SyncTasks\n"
                    "from models import store\n", encoding="utf-8")
    names = imports_of(fake, tmp_path)
    assert {"peewee", "models.tables", "ui.tasks", "ui.tasks.SyncTasks", "models.store"} <= set(names)
    assert ui_leaks(fake, tmp_path) == ["models.tables", "peewee", "peewee.Model"]
    clean = tmp_path / "ui" / "_clean_probe.py"
    clean.write_text("from models import store\nfrom PySide6.QtWidgets import QLabel\n", encoding="utf-8")
    assert ui_leaks(clean, tmp_path) == []
    assert not (ROOT / "ui" / "_layering_probe.py").exists()


def test_top_level_is_the_agreed_shape() -> None:
    allowed = {"main.py", "ui", "models", "resources", "tests", "pyproject.toml", "README.md", "LICENSE",
               ".gitignore", ".ci", ".git", ".venv", ".pytest_cache", ".hypothesis", ".ruff_cache",
               ".mypy_cache", "rapport.egg-info", "build"}
    extra = {p.name for p in ROOT.iterdir()} - allowed
    extra = {e for e in extra if not e.endswith(".egg-info") and e != "__pycache__"}
    assert not extra, f"unexpected top-level entries: {sorted(extra)}"


def screen_leaks(path: Path, root: Path = ROOT) -> list[str]:
    """The dialogs a ui/views/ module imports directly: screens meet through ui/actions or signals instead."""
    return sorted({n for n in imports_of(path, root) if n.startswith("ui.dialogs.") and n.count(".") == 2})


@pytest.mark.parametrize("path", modules("ui/views"), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_never_open_another_screens_dialogs_directly(path: Path) -> None:
    leaks = screen_leaks(path)
    assert not leaks, f"{path.name} imports {leaks}: a view asks ui/actions (or emits a signal) to open a dialog"


@pytest.mark.parametrize("path", modules("ui/session.py") + modules("ui/actions"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_session_and_the_actions_build_no_screens(path: Path) -> None:
    views = sorted({n for n in imports_of(path) if n.startswith("ui.views") or n == "ui.main_window"})
    assert not views, f"{path.name} imports {views}: the session and the actions know no screen"


def test_the_screen_check_would_catch_a_view_opening_a_dialog(tmp_path: Path) -> None:
    (tmp_path / "ui" / "views").mkdir(parents=True)
    probe = tmp_path / "ui" / "views" / "_probe.py"
    probe.write_text("from ui.dialogs.trash import TrashDialog\nfrom ui.actions import clients\n", encoding="utf-8")
    assert screen_leaks(probe, tmp_path) == ["ui.dialogs.trash"]


def test_main_window_stays_a_layout_and_its_menus() -> None:
    lines = len((ROOT / "ui" / "main_window.py").read_text(encoding="utf-8").splitlines())
    assert lines < 390, f"ui/main_window.py has {lines} lines: move workflows to ui/actions or ui/session.py"


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_ui_puts_dates_into_words_in_one_place(path: Path) -> None:
    assert "strftime(" not in path.read_text(encoding="utf-8"), \
        f"{path.name} formats a date itself: use ui/fmt.py (models/rules/words.py)"


def _store_graph() -> dict[str, set[str]]:
    """models/store's subjects and which of the others each imports (anywhere in the file, late imports too)."""
    names = {p.stem for p in (ROOT / "models" / "store").glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for name in names:
        found = imports_of(ROOT / "models" / "store" / f"{name}.py")
        graph[name] = {n.split(".")[2] for n in found if n.startswith("models.store.") and n.split(".")[2] in names}
        graph[name].discard(name)
    return graph


def test_the_store_subjects_import_each_other_one_way_only() -> None:
    """promises <-> timelines imported each other (one side hid it in a function); no subject does now."""
    graph = _store_graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    cycles = sorted(name for name in graph if reaches(name, name, {name}))
    assert not cycles, f"these store modules import each other in a circle: {cycles}"
