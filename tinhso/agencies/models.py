from __future__ import annotations

from django.db import models

from tinhso.core.text import fold


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", "UBND cấp tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DIVISION = "division", "Phòng, đơn vị trực thuộc"
    PROVINCIAL_SERVICE_CENTRE = "provincial_service_centre", "Trung tâm Phục vụ hành chính công tỉnh"
    COMMUNE_COMMITTEE = "commune_committee", "UBND cấp xã"
    COMMUNE_SERVICE_CENTRE = "commune_service_centre", "Trung tâm Phục vụ hành chính công xã"
    OFFICE = "office", "Văn phòng"
    OTHER = "other", "Khác"


class Agency(models.Model):
    """Cơ quan, đơn vị: a node of the province's organisation tree.

    Each agency carries its electronic identifier code (mã định danh điện tử,
    e.g. `000.00.12.H12`) used in dossier codes and document exchange, and is
    attached to the administrative unit it serves. `path` is a materialised
    path (`/1/5/12/`) so that "this agency and everything under it" is one
    indexed prefix query."""

    code = models.CharField("mã định danh", max_length=40, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=40, choices=AgencyKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="trực thuộc")
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="agencies",
                             verbose_name="đơn vị hành chính")
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        depth = self.parent.depth + 1 if self.parent_id else 0
        if path != self.path or depth != self.depth:
            old = self.path
            self.path, self.depth = path, depth
            # A second save of the two columns (not a queryset update) so that post_save fires again: caches
            # keyed on agencies (the catalogue's reference revision) see the new path. Agencies import no app
            # above them.
            super().save(update_fields=["path", "depth"])
            if old:
                for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.save()

    def subtree(self):
        """This agency and every agency below it."""
        return Agency.objects.filter(path__startswith=self.path)

    def ancestors_and_self(self):
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Agency.objects.filter(pk__in=ids).order_by("depth")
