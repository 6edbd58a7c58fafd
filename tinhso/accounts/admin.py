from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tinhso.accounts.models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class TinhSoUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Tỉnh Số", {"fields": ("full_name", "phone", "job_title")}),)
    list_display = ("username", "full_name", "email", "is_active")
    search_fields = ("username", "full_name", "email")
    inlines = [RoleInline]
