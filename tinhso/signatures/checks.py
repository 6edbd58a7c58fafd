from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def signatures_settings(app_configs, **kwargs):
    out = []
    if getattr(settings, "PRODUCTION", False):
        if not getattr(settings, "TINHSO_PKI_PASSPHRASE", ""):
            out.append(Error("TINHSO_PKI_PASSPHRASE is required in production (it protects the signing keys).",
                             id="signatures.E001"))
        if getattr(settings, "TINHSO_PKI_DEMO", False):
            out.append(Warning("TINHSO_PKI_DEMO is on in production: demo certificates would be issued and trusted.",
                               id="signatures.W001"))
        if not getattr(settings, "TINHSO_TRUSTED_ROOTS", []):
            out.append(Warning("TINHSO_TRUSTED_ROOTS is empty: every signature will be reported as untrusted.",
                               id="signatures.W002"))
    return out
