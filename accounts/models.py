"""Per-user preferences of the interface (workspace shortcuts and layer toggles), one JSON row per user."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


TOKEN_PREFIX = "qt_"


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True, help_text="The token's first 8 characters, for display.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the secret.")
    read_only = models.BooleanField(default=False, help_text="Reads only: every write is refused.")
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="apitoken_name_not_empty"),
            models.CheckConstraint(condition=models.Q(prefix__startswith=TOKEN_PREFIX), name="apitoken_prefix_known"),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("created")),
                name="apitoken_expires_after_created",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gte=models.F("created")),
                name="apitoken_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
