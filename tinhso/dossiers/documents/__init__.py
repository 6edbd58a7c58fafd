"""Printable one-stop-shop forms of a dossier, as PDF (A4, Vietnamese text).

    render_form(dossier, "01", base_url="https://dichvucong.example.gov.vn") -> bytes

Forms (Circular 01/2018/TT-VPCP; Circular 03/2025/TT-VPCP Annex I):
01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả; 02 Phiếu yêu cầu bổ sung, hoàn
thiện hồ sơ; 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ; 04 Phiếu xin lỗi và
hẹn lại ngày trả kết quả; 05 Thông báo dừng giải quyết hồ sơ; 06 Phiếu kiểm
soát quá trình giải quyết hồ sơ. A form that does not apply to the dossier's
state raises InvalidInput(code="form_not_available").

Every form carries the issuing agency's header, the national motto, the
place and date line, the dossier code and a QR code of the public lookup page
(`qr_payload`)."""

from __future__ import annotations

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.documents.fonts import FontNotFound, find_fonts  # noqa: F401
from tinhso.dossiers.documents.forms import BUILDERS, FORMS, applicable_event, document_day, edition_of
from tinhso.dossiers.documents.layout import Styles, build, code_and_qr, header, lookup_url, slip_block, title

__all__ = ["FORMS", "FontNotFound", "available_forms", "qr_payload", "render_form", "render_slip"]


def qr_payload(dossier, base_url: str) -> str:
    """What the QR code on every form encodes: `{base_url}/tra-cuu/?ma={code}`."""
    return lookup_url(dossier.code, base_url)


def _load(dossier):
    from tinhso.dossiers.models import Dossier

    return (Dossier.objects
            .select_related("procedure", "case", "received_by",
                            "receiving_agency__parent", "receiving_agency__unit__parent",
                            "competent_agency__parent", "competent_agency__unit__parent")
            .get(pk=dossier.pk))


def available_forms(dossier) -> list[str]:
    """The form numbers that apply to the dossier now (for showing print buttons)."""
    found = []
    for number, form in FORMS.items():
        try:
            applicable_event(dossier, form)
        except InvalidInput:
            continue
        found.append(number)
    return found


def render_form(dossier, form: str, *, base_url: str, event=None) -> bytes:
    """The PDF of `form` ("01".."06") for `dossier`. `event`: the (unsaved)
    event the form is about, to render a letter before it is issued (form 04
    is signed before its transition commits)."""
    number = str(form).zfill(2)
    spec = FORMS.get(number)
    if spec is None:
        raise InvalidInput(f"Không có mẫu phiếu số “{form}”.", code="unknown_form")
    dossier = _load(dossier)
    event = event if event is not None else applicable_event(dossier, spec)
    styles = Styles()
    agency = dossier.competent_agency if spec.issuer == "competent" else dossier.receiving_agency
    day = document_day(dossier, spec, event)
    shown, title_text, circular = edition_of(spec, day)
    story = header(styles, agency, day)
    story += title(styles, title_text, f"(Mẫu số {shown} – {circular})" if shown else f"({circular})")
    story += code_and_qr(styles, dossier.code, qr_payload(dossier, base_url))
    story += BUILDERS[number](styles, dossier, event)
    return build(story, title_text=title_text, code=dossier.code, styles=styles)


def render_slip(slip, *, base_url: str) -> bytes:
    """The PDF of a counter slip (CounterSlip): form 02 (guidance) or 03
    (refusal) for a dossier the desk did not receive. The forms' text is the
    same as for a received dossier; the block under the title gives the slip's
    number and, as QR code, the procedure's public page (what to prepare)."""
    from tinhso.dossiers.models import Dossier, DossierEvent, SlipKind

    number = "02" if slip.kind == SlipKind.GUIDANCE else "03"
    spec = FORMS[number]
    case = slip.case
    dossier = Dossier(code=slip.code, receiving_agency=slip.agency, competent_agency=slip.agency, case=case,
                      procedure=case.procedure, owner_name=slip.owner_name, owner_id_type=slip.owner_id_type,
                      owner_id_number=slip.owner_id_number, owner_phone=slip.owner_phone,
                      owner_email=slip.owner_email, owner_address=slip.owner_address, subject=slip.subject,
                      submitted_at=slip.issued_at, reason=slip.content)
    event = DossierEvent(at=slip.issued_at, comment=slip.content, sender_name=slip.issued_by.get_full_name())
    styles = Styles()
    day = document_day(dossier, spec, event)
    shown, title_text, circular = edition_of(spec, day)
    story = header(styles, slip.agency, day)
    story += title(styles, title_text, f"(Mẫu số {shown} – {circular}; hồ sơ chưa được tiếp nhận, không tính thời "
                                       "hạn giải quyết)")
    url = f"{base_url.rstrip('/')}/dvc/thu-tuc/{case.procedure.code}/"
    story += slip_block(styles, slip.code, url)
    story += BUILDERS[number](styles, dossier, event)
    return build(story, title_text=title_text, code=slip.code, styles=styles)
