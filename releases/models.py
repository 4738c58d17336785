"""A corpus release: a numbered, frozen, verifiable zip of the curated layer (docs/releases.md).

Once published, a release never changes: the services refuse it, the admin shows it read-only and
the database refuses any UPDATE of a published row (a trigger, migration 0002).
"""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .versions import validate_semver

NAME_RULE = r"^[a-z0-9][a-z0-9._-]*$"


class Licence(models.TextChoices):
    CC_BY_4_0 = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_NC_4_0 = "CC-BY-NC-4.0", _("Creative Commons Attribution-NonCommercial 4.0")
    CC_BY_NC_SA_4_0 = "CC-BY-NC-SA-4.0", _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0")
    CC0_1_0 = "CC0-1.0", _("Creative Commons Zero 1.0 (public domain dedication)")
    ODC_BY_1_0 = "ODC-By-1.0", _("Open Data Commons Attribution 1.0")
    ODBL_1_0 = "ODbL-1.0", _("Open Data Commons Open Database License 1.0")
    PDDL_1_0 = "PDDL-1.0", _("Open Data Commons Public Domain Dedication and License 1.0")


LICENCE_URLS = {
    Licence.CC_BY_4_0: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4_0: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC_4_0: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA_4_0: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC0_1_0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODC_BY_1_0: "https://opendatacommons.org/licenses/by/1-0/",
    Licence.ODBL_1_0: "https://opendatacommons.org/licenses/odbl/1-0/",
    Licence.PDDL_1_0: "https://opendatacommons.org/licenses/pddl/1-0/",
}


def release_storage() -> Storage:
    """Where release zips go: the ``releases`` entry of ``STORAGES`` when there is one (an S3 bucket,
    say), else the default storage (the file system under MEDIA_ROOT). docs/releases.md shows both."""
    return storages["releases"] if "releases" in settings.STORAGES else storages["default"]


class ReleaseQuerySet(models.QuerySet):
    def published(self) -> "ReleaseQuerySet":
        return self.filter(status=Release.Status.PUBLISHED)


class Release(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        BUILDING = "building", _("Building")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    name = models.CharField(
        max_length=80,
        validators=[
            RegexValidator(
                NAME_RULE,
                "Use lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit.",
            )
        ],
        help_text="Short name of the corpus, such as “quote-corpus”: it names the zip.",
    )
    version = models.CharField(max_length=64, validators=[validate_semver], help_text="Semantic version: 1.0.0.")
    description = models.TextField(blank=True)
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.CC_BY_4_0)
    filters = models.JSONField(
        default=dict, blank=True, help_text="The quote filters (QuoteFilter query parameters) that chose the quotes."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(upload_to="releases/", storage=release_storage, blank=True, max_length=300)
    size = models.BigIntegerField(null=True, blank=True, help_text="Bytes of the zip.")
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the zip, hex.")
    manifest = models.JSONField(default=dict, blank=True, help_text="manifest.json of the zip.")
    datasheet = models.TextField(blank=True, help_text="README.md of the zip.")
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text="Why the last build failed.")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_releases",
        help_text="The release the change log compares with: the highest published version of the same name below this one.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="releases")
    created = models.DateTimeField(auto_now_add=True)
    published = models.DateTimeField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="release_name_version_unique"),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (~Q(file="") & Q(size__isnull=False) & Q(published__isnull=False) & ~Q(sha256="")),
                name="release_published_has_file",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "building", "published", "failed"]), name="release_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def folder(self) -> str:
        """The zip's single top-level folder, and its file name without .zip."""
        return f"{self.name}-{self.version}"
