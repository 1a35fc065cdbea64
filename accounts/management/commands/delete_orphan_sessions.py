from django.core.management.base import BaseCommand

from accounts.sessions import delete_orphan_sessions


class Command(BaseCommand):
    help = "Deletes the sessions of accounts that no longer exist (left by deletions before they ended sessions)."

    def handle(self, *args, **options):
        count = delete_orphan_sessions()
        self.stdout.write(f"{count} session{'' if count == 1 else 's'} of deleted accounts deleted.")
