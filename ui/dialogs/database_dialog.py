"""Choose the office database: this computer, a file in a shared folder, or a PostgreSQL server."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import paths, store
from models.store import CloudFolderError, StoreError
from ui.app import dress
from ui.context import AppContext

LOCAL, FILE, SERVER = 0, 1, 2


def postgres_url(host: str, port: int, database: str, user: str, password: str) -> str:
    """postgresql://user:password@host:port/database, with every part quoted."""
    auth = quote(user.strip(), safe="") if user.strip() else ""
    if auth and password:
        auth += ":" + quote(password, safe="")
    return f"postgresql://{auth + '@' if auth else ''}{host.strip() or 'localhost'}:{port}/" \
           f"{quote(database.strip(), safe='')}"


class DatabaseDialog(QDialog):
    """The office database this desk opens; Check tries it without switching."""

    location_chosen = Signal(str, bool)
    """The person chose a database: (location, allowed in a cloud-sync folder)."""

    def __init__(self, ctx: AppContext, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Office database")
        self.setMinimumWidth(560)
        self.kind = QButtonGroup(self)
        self.local = QRadioButton("This computer only")
        self.file = QRadioButton("A file, for example in the office's shared folder (up to about three desks)")
        self.server = QRadioButton("A PostgreSQL server (more desks, laptops on Wi-Fi, Windows and Mac together)")
        for i, button in enumerate((self.local, self.file, self.server)):
            self.kind.addButton(button, i)
        self.path = QLineEdit(
            placeholderText="For example \\\\server\\office\\rapport.db or /Volumes/office/rapport.db")
        self.browse = QPushButton("Browse...")
        self.host = QLineEdit(placeholderText="server name or address")
        self.port = QSpinBox(minimum=1, maximum=65535, value=5432)
        self.database = QLineEdit("rapport")
        self.user = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.check_button = QPushButton("Check")
        self.result = QLabel(wordWrap=True)  # muted or error (_say)
        self.cloud = QCheckBox("I understand the risk: use this cloud-sync folder anyway (recorded in the office file)")
        self.cloud.hide()

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        server_form = QFormLayout()
        server_form.addRow("Server", self.host)
        server_form.addRow("Port", self.port)
        server_form.addRow("Database", self.database)
        server_form.addRow("User", self.user)
        server_form.addRow("Password", self.password)
        self.server_box = QWidget()
        self.server_box.setLayout(server_form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(dress(QLabel(str(paths.default_database()), objectName="muted")))
        layout.addWidget(self.file)
        layout.addLayout(file_row)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.result, 1)
        layout.addLayout(check_row)
        layout.addWidget(self.cloud)
        layout.addWidget(self.buttons)

        self.kind.idToggled.connect(self._on_kind_toggled)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.check_button.clicked.connect(self.check)
        self.buttons.accepted.connect(self._on_open_clicked)
        self.buttons.rejected.connect(self.reject)
        self.set_location(current)

    def set_location(self, location: str) -> None:
        if location.startswith(("postgresql://", "postgres://")):
            parts = urlparse(location)
            self.host.setText(parts.hostname or "")
            self.port.setValue(parts.port or 5432)
            self.database.setText(unquote(parts.path.lstrip("/")))
            self.user.setText(unquote(parts.username or ""))
            self.password.setText(unquote(parts.password or ""))
            self.server.setChecked(True)
        elif not location or Path(location) == paths.default_database():
            self.local.setChecked(True)
        else:
            self.path.setText(location)
            self.file.setChecked(True)
        self._on_kind_toggled(self.kind.checkedId(), True)

    def location(self) -> str:
        choice = self.kind.checkedId()
        if choice == SERVER:
            return postgres_url(self.host.text(), self.port.value(), self.database.text(), self.user.text(),
                                self.password.text())
        if choice == FILE:
            return self.path.text().strip()
        return str(paths.default_database())

    def _on_kind_toggled(self, which: int, checked: bool) -> None:
        if not checked:
            return
        self.path.setEnabled(which == FILE)
        self.browse.setEnabled(which == FILE)
        self.server_box.setEnabled(which == SERVER)
        self.result.clear()
        self.cloud.hide()
        self.cloud.setChecked(False)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Office database file", self.path.text(),
                                              "Rapport database (*.db);;All files (*)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path.setText(path)
            self.check()

    def _problem(self) -> str | None:
        if self.kind.checkedId() == FILE and not self.path.text().strip():
            return "Type or choose the file's place first."
        if self.kind.checkedId() == SERVER and (not self.host.text().strip() or not self.database.text().strip()):
            return "Type the server's name and the database's name first."
        return None

    def check(self) -> None:
        """Try the location on the database thread, without switching to it."""
        self._probe(lambda text: self._say(text, ok=True))

    def _probe(self, on_usable: Callable[[str], None]) -> None:
        """Say what is wrong with the typed location, or try it on the database thread; `on_usable` if it works."""
        problem = self._problem()
        if problem:
            self._say(problem, ok=False)
            return
        location, allow = self.location(), self.cloud.isChecked()
        self._say("Checking...", ok=True)
        self.ctx.tasks.run(lambda: store.probe(location, allow_cloud=allow), on_usable, self._on_check_failed)

    def _on_check_failed(self, error: StoreError) -> None:
        if isinstance(error, CloudFolderError):
            self.cloud.show()
        self._say(error.message, ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.result.setObjectName("muted" if ok else "error")
        dress(self.result)
        self.result.setText(text)

    def _on_open_clicked(self) -> None:
        """Check the location first: a place Rapport cannot use is said here, and the open office stays open."""
        location, allow = self.location(), self.cloud.isChecked()

        def usable(_text: str) -> None:
            self.location_chosen.emit(location, allow)
            self.accept()

        self._probe(usable)
