"""Write the whole database as a history folder of the interchange format: the rows an import
compares against (mapping.held_rows), so an exported folder imports back to the same records."""

from __future__ import annotations

import csv
from pathlib import Path

from . import formats, mapping


def export_history(folder: Path) -> dict[str, int]:
    """One file per kind of record (each written even when empty, so a round trip compares alike)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for spec in formats.FILES:
        n = 0
        with (folder / spec.name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(spec.names)
            for _, row in mapping.held_rows(spec.name):
                writer.writerow([mapping.format_value(v) for v in row])
                n += 1
        counts[spec.name] = n
    return counts
