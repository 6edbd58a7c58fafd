from django.contrib import admin

from tinhso.directory.models import AccountRequest, DirectoryEntry, Mailbox


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "office_phone", "listed"]
    readonly_fields = ["search_text"]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["address", "agency", "user", "state"]
    search_fields = ["address"]
    readonly_fields = [f.name for f in Mailbox._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    list_display = ["kind", "agency", "person", "state", "created_at"]
    readonly_fields = [f.name for f in AccountRequest._meta.fields]

    def has_add_permission(self, request):
        return False
