import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.importer import import_history, total_bytes
from interchange.reader import Progress


class Command(BaseCommand):
    help = "Import a history folder of the interchange format (shared/interchange.md); --dry-run only checks it."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--dry-run", action="store_true", help="check every file and report; write nothing")
        parser.add_argument("--errors", type=int, default=50, help="how many problems to print (all are counted)")

    def handle(self, *args, folder, dry_run, errors, **options):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{folder} is not a folder")
        started = time.monotonic()
        with tqdm(
            total=total_bytes(path),
            unit="B",
            unit_scale=True,
            desc="Reading",
            mininterval=1.0,
            disable=options.get("verbosity", 1) < 1,
        ) as bar:
            progress = None

            def update(n_bytes, n_rows):
                bar.update(n_bytes)
                elapsed = max(time.monotonic() - started, 1e-6)
                bar.set_postfix(rows=progress.rows_read, rows_per_s=int(progress.rows_read / elapsed), refresh=False)

            progress = Progress(bar.total, update)
            report = import_history(path, write=not dry_run, progress=progress)
        elapsed = time.monotonic() - started
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name}: {counts['new']} new, {counts['unchanged']} unchanged, {counts['conflicting']} conflicting"
            )
        totals = report.totals()
        self.stdout.write(
            f"{report.rows_read} rows in {elapsed:.1f} s: {totals['new']} new, {totals['unchanged']} unchanged, "
            f"{totals['conflicting']} refused as conflicting"
        )
        if not report.ok:
            for line in report.summary_lines(errors):
                self.stderr.write(line)
            raise CommandError(f"{report.error_count} problems: nothing was written")
        if dry_run:
            self.stdout.write("Checked: no problems (dry run, nothing written)")
        elif totals["new"] == 0:
            self.stdout.write("Nothing new: the database already holds this folder")
        else:
            self.stdout.write("Imported")
