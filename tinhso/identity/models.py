"""Records of the sandbox identity provider (môi trường thử nghiệm).

The relying party (the real client) keeps nothing here: a citizen's account is
the `accounts.User` keyed by the personal identification number. These tables
belong to the local sandbox provider only, and are empty in production."""

from __future__ import annotations

from django.db import models


class SandboxSigningKey(models.Model):
    """Khóa ký thử nghiệm: the sandbox provider's RSA key that signs ID tokens (RS256).

    Stored in the database so that every app process signs with the same key
    and the published JWKS matches; generated on first use. Sandbox only —
    a real provider keeps its private key to itself."""

    slot = models.CharField("vị trí", max_length=20, unique=True, default="current")
    kid = models.CharField("mã khóa (kid)", max_length=100, unique=True)
    private_pem = models.TextField("khóa bí mật (PEM)")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "khóa ký thử nghiệm"
        verbose_name_plural = "khóa ký thử nghiệm"

    def __str__(self):
        return self.kid


class SandboxAuthorizationCode(models.Model):
    """Mã ủy quyền thử nghiệm: a single-use authorization code issued by the sandbox /authorize.

    Only its SHA-256 hash is stored. It expires after 60 seconds and can be
    redeemed once; a second redemption revokes the tokens issued for it."""

    code_hash = models.CharField("băm mã", max_length=64, unique=True)
    client_id = models.CharField("mã ứng dụng", max_length=200)
    redirect_uri = models.CharField("địa chỉ chuyển hướng", max_length=1000)
    id_number = models.CharField("số định danh cá nhân", max_length=20)
    scope = models.CharField("phạm vi", max_length=500)
    nonce = models.CharField("nonce", max_length=500, blank=True)
    code_challenge = models.CharField("mã thách thức PKCE", max_length=128)
    auth_time = models.DateTimeField("xác thực lúc")
    expires_at = models.DateTimeField("hết hạn lúc")
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã ủy quyền thử nghiệm"
        verbose_name_plural = "mã ủy quyền thử nghiệm"


class SandboxAccessToken(models.Model):
    """Mã truy cập thử nghiệm: a Bearer access token for the sandbox /userinfo (hash stored)."""

    token_hash = models.CharField("băm mã", max_length=64, unique=True)
    code = models.ForeignKey(SandboxAuthorizationCode, on_delete=models.CASCADE, related_name="tokens",
                             verbose_name="mã ủy quyền")
    client_id = models.CharField("mã ứng dụng", max_length=200)
    id_number = models.CharField("số định danh cá nhân", max_length=20)
    scope = models.CharField("phạm vi", max_length=500)
    expires_at = models.DateTimeField("hết hạn lúc")
    revoked = models.BooleanField("đã thu hồi", default=False)

    class Meta:
        verbose_name = "mã truy cập thử nghiệm"
        verbose_name_plural = "mã truy cập thử nghiệm"
