from django.contrib import admin

from tinhso.serviceindex.models import EnteredValue, Methodology, PublishedScore, Snapshot


class ReadOnly(admin.ModelAdmin):
    """Read-only here: the service index's data changes only through tinhso.serviceindex.actions (the pages at
    /chi-so-766/), which check the scope and audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Methodology)
class MethodologyAdmin(ReadOnly):
    list_display = ("code", "name", "valid_from", "basis")


@admin.register(EnteredValue)
class EnteredValueAdmin(ReadOnly):
    list_display = ("indicator_code", "scope", "month", "numerator", "denominator", "source", "entered_by")
    list_filter = ("indicator_code", "source")


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnly):
    list_display = ("scope", "month", "points", "max_points", "taken_at")


@admin.register(PublishedScore)
class PublishedScoreAdmin(ReadOnly):
    list_display = ("scope", "month", "points", "basis", "entered_by")
