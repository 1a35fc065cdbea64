from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from roadmap.loading import ContentError, apply_content, read_content


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Loads roadmaps and topics from content/ in one transaction: all files or none."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.CONTENT_DIR), help="content directory")
        parser.add_argument("--prune", action="store_true", help="delete what the files no longer hold")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, then roll back")

    def handle(self, *args, path, prune, dry_run, **options):
        try:
            content = read_content(Path(path))
        except ContentError as error:
            raise CommandError(
                f"Content not loaded ({len(error.problems)} problem(s)); the database is unchanged:\n"
                + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        try:
            with transaction.atomic():
                report = apply_content(content, prune=prune)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Dry run: rolled back.")
        summary = f"{len(content.roadmaps)} roadmaps and {len(content.topics)} topics in {path}."
        if not report.changed:
            self.stdout.write(f"No changes: {summary}")
        else:
            self.stdout.write(f"Loaded {summary}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
