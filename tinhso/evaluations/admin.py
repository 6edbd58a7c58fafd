from django.contrib import admin

from tinhso.evaluations.models import Criterion, CriterionRating, Evaluation


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """Criteria are data: labels, order and effective dates are edited here."""

    list_display = ("order", "code", "label", "valid_from", "valid_to")
    list_display_links = ("code",)
    ordering = ("order", "code")


class RatingInline(admin.TabularInline):
    model = CriterionRating
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "rating")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: evaluations are the citizens' words."""

    list_display = ("dossier", "overall", "created_at")
    list_filter = ("overall",)
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "citizen", "overall", "comment", "created_at")
    inlines = [RatingInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
