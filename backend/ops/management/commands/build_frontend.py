import subprocess

from django.core.management.base import BaseCommand, CommandError

from backend import frontend


class Command(BaseCommand):
    help = "Bundles frontend_static/ with esbuild into var/build (hashed, minified, precompressed)."

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true", help="only when a source is newer than the last build")

    def handle(self, *args, if_stale=False, **options):
        try:
            summary = frontend.build_if_stale() if if_stale else frontend.build()
            if summary:
                self.stdout.write(summary)
        except subprocess.CalledProcessError as error:
            raise CommandError(f"the front-end build failed:\n{error.stderr or error.stdout}") from error
