from django.contrib import admin

from tinhso.meetings.models import Meeting, MeetingRoom


@admin.register(MeetingRoom)
class MeetingRoomAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "contact_name", "contact_phone", "is_active")
    search_fields = ("name", "agency__name")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "host", "start", "status")
    list_filter = ("status",)
    readonly_fields = ("video_room", "uid", "sequence")
