"""File > Export contacts...: the clients shown in the list (their filter and order) as vCard 3.0/4.0 or CSV."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFileDialog, QWidget

from models import store
from models.store import StoreError
from ui.context import AppContext

KINDS = {"vCard 3.0, for Apple, Google and Outlook (*.vcf)": "3.0", "vCard 4.0 (*.vcf)": "4.0",
         "CSV, for Excel (*.csv)": "csv"}


def export_contacts(ctx: AppContext, parent: QWidget, client_ids: Sequence[int] | None) -> None:
    """Ask where (and which kind), then export on the database thread and say how many."""
    path, chosen = QFileDialog.getSaveFileName(parent, "Export contacts", "Rapport contacts.vcf", ";;".join(KINDS))
    if path:
        run_export(ctx, path, KINDS.get(chosen, "csv" if path.lower().endswith(".csv") else "3.0"), client_ids)


def run_export(ctx: AppContext, path: str, kind: str, client_ids: Sequence[int] | None) -> None:
    ids = None if client_ids is None else list(client_ids)

    def work() -> int:
        if kind == "csv":
            return store.export_clients_csv(path, ids)
        return store.export_vcards(path, ids, version=kind)

    def done(count: int) -> None:
        ctx.events.message_reported.emit(f"Exported {count:,} clients to {path}.")

    def failed(error: StoreError) -> None:
        ctx.events.error_reported.emit(error.message)

    ctx.tasks.run(work, done, failed)
