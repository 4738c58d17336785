"""Check a release zip against its manifest: every file's SHA-256 and size; exit 1 naming what is wrong."""

from django.core.management.base import BaseCommand, CommandError

from releases.archive import verify


class Command(BaseCommand):
    help = "Verify a release zip: python manage.py release_verify FILE.zip (exit status 1 when a file is wrong)."

    def add_arguments(self, parser):
        parser.add_argument("zip")

    def handle(self, *args, zip, **options):
        manifest, problems = verify(zip)
        if problems:
            for problem in problems:
                self.stderr.write(f"WRONG {problem}")
            raise CommandError(f"{zip} does not verify: {len(problems)} problem(s).", returncode=1)
        assert manifest is not None
        self.stdout.write(
            f"OK {manifest['name']} {manifest['version']}: {len(manifest['files'])} files match the manifest."
        )
