"""Create an API key from the command line and print it, the only time it is ever shown."""

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key (test keys always use the simulator) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who or what uses the key, e.g. 'Shop back office'.")
        parser.add_argument(
            "--mode",
            choices=[choice.value for choice in ApiKey.Mode],
            default=ApiKey.Mode.TEST.value,
            help="test (simulator only, the default) or live.",
        )
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=None,
            metavar="N",
            help="Writes (every method but GET) per minute allowed for this key (default 120).",
        )
        parser.add_argument(
            "--read-rate-limit",
            type=int,
            default=None,
            metavar="N",
            help="GET requests per minute allowed for this key (default 1200).",
        )

    def handle(self, *args, name, mode, rate_limit, read_rate_limit, **options):
        if rate_limit is not None and rate_limit < 1:
            raise CommandError("--rate-limit must be at least 1 request per minute.")
        if read_rate_limit is not None and read_rate_limit < 1:
            raise CommandError("--read-rate-limit must be at least 1 request per minute.")
        api_key, full_key = ApiKey.create(
            name=name,
            mode=mode,
            rate_limit_per_minute=rate_limit,
            read_rate_limit_per_minute=read_rate_limit,
        )
        self.stderr.write(
            f"Created the {api_key.mode} API key “{api_key.name}” ({api_key.prefix}…, "
            f"{api_key.rate_limit_per_minute} writes and {api_key.read_rate_limit_per_minute} "
            "reads per minute). Store it now: "
            "it is kept hashed and cannot be shown again."
        )
        # The key alone on stdout, so scripts can capture it.
        self.stdout.write(full_key)
