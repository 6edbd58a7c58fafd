from django.contrib import admin

from tinhso.signatures.models import SignedDocument, SigningCredential


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin):
    list_display = ["label", "purpose", "agency", "user", "serial", "not_after", "demo", "is_active"]
    list_filter = ["purpose", "demo", "is_active"]
    search_fields = ["label", "subject", "serial", "fingerprint"]
    exclude = ["pkcs12", "appearance_png"]
    readonly_fields = ["subject", "issuer", "serial", "fingerprint", "not_before", "not_after", "certificate_pem",
                       "chain_pem", "pkcs12_path"]


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "size", "created_at"]
    search_fields = ["code", "sha256"]
    exclude = ["pdf"]
    readonly_fields = ["code", "kind", "sha256", "size", "created_at"]
