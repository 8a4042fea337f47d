from pathlib import Path

from django.core.management.base import BaseCommand

from interchange.exporter import export_history


class Command(BaseCommand):
    help = "Write the whole database as a history folder of the interchange format (shared/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        for name, n in export_history(Path(folder)).items():
            self.stdout.write(f"{name}: {n} rows")
