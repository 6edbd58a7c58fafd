import uuid

from django.conf import settings
from django.db import models


def _token():
    return uuid.uuid4().hex


class Draft(models.Model):
    """Hồ sơ nháp: what a citizen has typed into an online form, saved as they
    go, so that nothing is lost to a closed tab or an expired session. The
    token is also the idempotency key of the submission and the key of the
    staged uploads, so a retried submit creates exactly one dossier."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="drafts")
    case = models.ForeignKey("catalogue.ProcedureCase", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=_token)
    data = models.JSONField(default=dict, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "hồ sơ nháp"
        verbose_name_plural = "hồ sơ nháp"

    def __str__(self):
        return f"{self.case} ({self.token[:8]})"
