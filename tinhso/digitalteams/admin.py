from django.contrib import admin

from tinhso.digitalteams.models import Activity, Member, Team, Training


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "hamlet", "is_active")
    search_fields = ("name", "hamlet", "agency__name")
    inlines = [MemberInline]


admin.site.register(Training)
admin.site.register(Activity)
