from django.core.management.base import BaseCommand

from analytics.rollups.rebuild import rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's rollups from the raw messages, clicks and ledger."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=2000, help="Messages read at a time.")

    def handle(self, *args, chunk, **options):
        total = rebuild(chunk=chunk, log=lambda n: self.stdout.write(f"{n} messages", ending="\r"))
        self.stdout.write(self.style.SUCCESS(f"Rollups rebuilt from {total} messages."))
