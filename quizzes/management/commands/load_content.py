from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from caching.versions import bump_content_version
from quizzes.loading import apply_questions, read_questions
from roadmap.loading import ContentError, apply_content, read_content


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Loads roadmaps, topics and quiz questions from content/ in one transaction: all files or none."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.CONTENT_DIR), help="content directory")
        parser.add_argument("--prune", action="store_true", help="delete what the files no longer hold")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, then roll back")

    def handle(self, *args, path, prune, dry_run, **options):
        root = Path(path)
        try:
            content = read_content(root)
            questions = read_questions(root, {topic.slug for topic in content.topics})
        except ContentError as error:
            raise CommandError(
                f"Content not loaded ({len(error.problems)} problem(s)); the database is unchanged:\n"
                + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        try:
            with transaction.atomic():
                report = apply_content(content, prune=prune)
                apply_questions(questions, report, prune=prune)
                if report.changed:
                    transaction.on_commit(self.invalidate_cached_pages)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Dry run: rolled back.")
        n_questions = sum(len(file.questions) for file in questions)
        summary = (
            f"{len(content.roadmaps)} roadmaps, {len(content.topics)} topics and {n_questions} questions in {path}."
        )
        if not report.changed:
            self.stdout.write(f"No changes: {summary}")
        else:
            self.stdout.write(f"Loaded {summary}")
        for line in report.lines():
            self.stdout.write(f"  {line}")

    def invalidate_cached_pages(self):
        if not bump_content_version():
            self.stderr.write(
                "The cache (Redis) is unreachable, so pages cached before this load were not invalidated. "
                "Processes that used the cache during the outage empty it when Redis returns; to be sure, "
                "empty it then with\n"
                "  python manage.py shell -c 'from django.core.cache import cache; cache.clear()'"
            )
