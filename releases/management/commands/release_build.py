"""Create and build a release from the shell; the zip's path (or storage name) is the last line."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobs import registry
from jobs.models import Job
from jobs.services import job_run_here, jobs_reap, may_start
from releases import services
from releases.jobs import RELEASE_BUILD
from releases.models import Licence, Release
from releases.selection import FILTER_NAMES


class Command(BaseCommand):
    help = (
        "Build a corpus release: python manage.py release_build --name NAME --version X.Y.Z "
        "[--filter outlet=X --filter published_after=2024-01-01 ...]. Prints the zip's path on the last line."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        if "--version" in args:  # Django's own --version (of Django) gives way to the release's version
            return
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--version", dest="release_version", required=True, help="Semantic version, such as 1.0.0.")
        parser.add_argument("--description", default="")
        parser.add_argument("--licence", default=Licence.CC_BY_4_0, choices=Licence.values)
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help=f"A quote filter, as in the exports' query string. Known: {', '.join(FILTER_NAMES)}.",
        )
        parser.add_argument(
            "--user", default=None, help="Username recorded as the creator (default: the first superuser)."
        )

    def handle(self, *args, name, release_version, description, licence, filter, user, **options):
        filters: dict[str, str] = {}
        for item in filter:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise CommandError(f"--filter {item!r}: write KEY=VALUE.")
            filters[key.strip()] = value
        User = get_user_model()
        if user:
            creator = User.objects.filter(username=user).first()
            if creator is None:
                raise CommandError(f"No user {user!r}.")
        else:
            creator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if creator is None:
                raise CommandError("No superuser to record as the creator: pass --user USERNAME.")
        if not may_start(creator, registry.get(RELEASE_BUILD)):
            raise CommandError(f"{creator.username} may not build releases. Pass --user with an editor's username.")
        # A release_build killed earlier left its release "building" and its job "running": reaped here
        # (no live process of that job's worker), they are failed, and this run builds that release again.
        jobs_reap()
        release = Release.objects.filter(name=name, version=release_version).first()
        if release is not None and release.status in (Release.Status.PENDING, Release.Status.FAILED):
            if filter and filters != release.filters:
                raise CommandError(
                    f"{release} exists with other filters ({release.filters or 'none'}); "
                    "give the same filters, or none, to build it, or choose another version."
                )
            self.stderr.write(f"Building the existing {release.get_status_display().lower()} release {release}.")
        elif release is not None and release.status == Release.Status.BUILDING:
            raise CommandError(f"{release} is being built by a live process; the jobs page shows its progress.")
        else:
            try:
                release = services.release_create(
                    name=name,
                    version=release_version,
                    description=description,
                    licence=licence,
                    filters=filters,
                    user=creator,
                )
            except ValidationError as error:
                details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                raise CommandError(f"Nothing was created. {details}") from error

        # Built as a job run in this process: the job's page shows its progress, and if this process is
        # killed, jobs_reap (a worker's, or the next release_build's) fails the job and the release.
        job = job_run_here(kind=RELEASE_BUILD, params={"release": release.pk}, user=creator)
        release.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"The build of {name} {release_version} failed (job {job.pk}): {job.error}")
        self.stderr.write(f"Published {release}: {release.size:,} bytes, SHA-256 {release.sha256}.")
        try:
            where = release.file.path
        except NotImplementedError:  # a storage without local paths (S3): its name
            where = release.file.name
        self.stdout.write(where)
