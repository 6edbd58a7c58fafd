"""An agency's issuing profile (thông tin ban hành): the abbreviation of its
name in the number and symbol (123/QĐ-UBND) and the place name (địa danh)
of its documents. Reading never writes: an agency without a saved profile
gets one worked out from its short name and province; the clerical office
(or a system administrator) saves one with `update_profile`."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import diff, record
from tinhso.core.errors import InvalidInput
from tinhso.notifications.actions import notify
from tinhso.officialdocs.actions.common import clerical_of, clerks, require
from tinhso.officialdocs.models import IssuingProfile

NOT_ISSUING = ("office", "division")  # an office or a division issues in its parent agency's name
ABBREVIATION = re.compile(r"^[A-ZĐ0-9]+$")  # UBND, SXD, BCĐ: no space, no "-" or "/" (they separate the symbol)
PLACE = re.compile(r"^[^\W_]+(?:[ .'-]+[^\W_]+)*\.?$")  # Cần Thơ, Phụng Hiệp, Tp. Hồ Chí Minh


def default_profile(agency) -> IssuingProfile:
    """The profile worked out from the agency (not saved): UBND for a
    people's committee, else its short name without spaces and dots; the
    place is its province's name without "Thành phố"/"Tỉnh"."""
    short = (agency.short_name or agency.name).replace(".", "").split()
    abbreviation = "UBND" if agency.kind in ("provincial_committee", "commune_committee") else "".join(short)
    province = agency.unit
    while province is not None and province.level != "province":
        province = province.parent
    place = (province.name if province else "").replace("Thành phố ", "").replace("Tỉnh ", "")
    return IssuingProfile(agency=agency, abbreviation=abbreviation[:30], place=(place or agency.name)[:100])


def profile(agency) -> IssuingProfile:
    """The saved profile, or the default (unsaved: `pk` is None)."""
    return IssuingProfile.objects.filter(agency=agency).first() or default_profile(agency)


def may_edit(user, agency) -> bool:
    """Whoever numbers and issues the agency's documents (its clerical office,
    `clerical_of`) or a system administrator."""
    return clerical_of(user, agency) or has_role(user, Role.SYSTEM_ADMIN)


def _clean(abbreviation, place) -> dict:
    errors = []
    abbreviation = unicodedata.normalize("NFC", abbreviation or "").strip().upper()
    place = " ".join(unicodedata.normalize("NFC", place or "").split())
    if not abbreviation:
        errors.append({"field": "abbreviation", "message": _("Nhập chữ viết tắt tên cơ quan.")})
    elif len(abbreviation) > 30:
        errors.append({"field": "abbreviation", "message": _("Chữ viết tắt tên cơ quan tối đa 30 ký tự.")})
    elif not ABBREVIATION.match(abbreviation):
        errors.append({"field": "abbreviation", "message": _(
            "Chữ viết tắt chỉ gồm chữ cái in hoa không dấu (A–Z, Đ) và chữ số, không có khoảng trắng, "
            "dấu gạch ngang hay gạch chéo.")})
    if not place:
        errors.append({"field": "place", "message": _("Nhập địa danh.")})
    elif len(place) > 100:
        errors.append({"field": "place", "message": _("Địa danh tối đa 100 ký tự.")})
    elif not PLACE.match(place):
        errors.append({"field": "place", "message": _(
            "Địa danh chỉ gồm chữ cái, chữ số, khoảng trắng và dấu chấm, gạch nối.")})
    if errors:
        raise InvalidInput(errors[0]["message"], code="invalid_profile", errors=errors)
    return {"abbreviation": abbreviation, "place": place}


@transaction.atomic
def update_profile(*, acting_user, agency, abbreviation: str, place: str) -> IssuingProfile:
    """Save the agency's issuing profile (created on first save). Documents
    already issued keep their number, symbol and place; the next ones use
    the new profile. The agency's other clerks are told after commit."""
    require(may_edit(acting_user, agency),
            _("Chỉ văn thư của cơ quan hoặc quản trị hệ thống được sửa thông tin ban hành văn bản."))
    if agency.kind in NOT_ISSUING:
        raise InvalidInput(_("Văn phòng, phòng chuyên môn ban hành văn bản theo tên cơ quan cấp trên."),
                           code="not_issuing_agency")
    values = _clean(abbreviation, place)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one save of an agency's profile at a time
    row = IssuingProfile.objects.filter(agency=agency).first()
    if row is None:
        row = IssuingProfile.objects.create(agency=agency, **values)
        record(actor=acting_user, action="officialdocs.profile.created", obj=row,
               changes={"agency": agency.code, **{k: [None, v] for k, v in values.items()}})
    else:
        changes = diff(row, list(values), values)
        if not changes:
            return row
        for key, value in values.items():
            setattr(row, key, value)
        row.save(update_fields=list(values))
        record(actor=acting_user, action="officialdocs.profile.changed", obj=row,
               changes={"agency": agency.code, **changes})
    others = [u for u in clerks(agency) if u.pk != getattr(acting_user, "pk", None)]
    if others:
        with translation.override(settings.LANGUAGE_CODE):  # a stored notice, read in any session language
            title = _("Thông tin ban hành văn bản của %(agency)s: %(abbreviation)s, %(place)s") % {
                "agency": agency.name, **values}
        url = reverse("officialdocs:profile", args=[agency.pk])
        transaction.on_commit(lambda: notify(others, kind="officialdocs", title=title, url=url))
    return row
