"""The content of forms 01-06 (Circular 01/2018/TT-VPCP, Circular 03/2025/TT-VPCP Annex I).

Each builder takes the dossier (with its procedure, case and agencies
loaded), the event the form is about (or None) and returns the story
(a list of ReportLab flowables) after the common header and code block."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.documents.layout import (FRAME_WIDTH, Styles, fmt_date, fmt_datetime, fmt_short, grid, nfc,
                                              signatures, t)
from tinhso.dossiers.models import Channel, Status


@dataclass(frozen=True)
class Form:
    number: str
    title: str
    short: str  # for messages: "in <short>"
    issuer: str  # "receiving" or "competent": whose header


FORMS = {
    "01": Form("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
               "receiving"),
    "02": Form("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
               "receiving"),
    "03": Form("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
               "receiving"),
    "04": Form("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
               "competent"),
    "05": Form("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Thông báo dừng giải quyết hồ sơ", "competent"),
    "06": Form("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
               "receiving"),
}

# What changed between the editions (dated rule "dossiers.form_edition"): the URL keeps the key above, the
# document shows the number and title of the edition in force on its date.
EDITIONS = {
    "01/2018": {"04": ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"), "05": ("", None), "06": ("05", None),
                "book": "06"},
    "03/2025": {"04": ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"), "book": "07"},
}
CIRCULARS = {"01/2018": "Thông tư số 01/2018/TT-VPCP", "03/2025": "Thông tư số 03/2025/TT-VPCP"}


def edition_of(form: Form, day: datetime.date) -> tuple[str, str, str]:
    """(number shown, title, circular) of `form` in the edition in force on `day`."""
    from tinhso.dossiers.policies import form_edition

    edition = form_edition(datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone()))
    number, title = EDITIONS.get(edition, {}).get(form.number, (form.number, None))
    return number, title or form.title, CIRCULARS.get(edition, edition)


ID_LABELS = {"cccd": "Số định danh cá nhân/CCCD", "passport": "Số hộ chiếu", "tax": "Mã số thuế",
             "other": "Số giấy tờ"}
DEADLINE_LINE = re.compile(r"\n?Hạn bổ sung: (\d{2}/\d{2}/\d{4})\s*$")
APOLOGY_LINE = re.compile(r"\n?Hẹn cũ: (\S+) → hẹn mới: (\S+)\s*$")


def not_available(form: Form, why: str) -> InvalidInput:
    return InvalidInput(f"Không thể in {form.short}: {why}", code="form_not_available")


def last_event(dossier, *actions):
    return dossier.events.filter(action__in=actions).order_by("-at", "-id").first()


def applicable_event(dossier, form: Form):
    """The event the form is about; raises when the form does not apply."""
    number = form.number
    if number in ("01", "06"):
        if dossier.received_at is None:
            raise not_available(form, "hồ sơ chưa được tiếp nhận.")
        return None
    if number == "02":
        event = last_event(dossier, "request_supplement")
        if event is None:
            raise not_available(form, "hồ sơ chưa có yêu cầu bổ sung, hoàn thiện.")
        return event
    if number == "03":
        event = last_event(dossier, "refuse", "refuse_after_supplement")
        if event is None or dossier.status != Status.REFUSED:
            raise not_available(form, "hồ sơ không bị từ chối tiếp nhận.")
        return event
    if number == "04":
        event = last_event(dossier, "apologise")
        if event is None:
            raise not_available(form, "hồ sơ chưa có văn bản xin lỗi, hẹn lại ngày trả kết quả.")
        return event
    if number == "05":
        event = last_event(dossier, "stop")
        if event is None or dossier.status != Status.STOPPED:
            raise not_available(form, "hồ sơ không bị dừng giải quyết.")
        return event
    raise AssertionError(number)


def document_day(dossier, form: Form, event) -> datetime.date:
    when = event.at if event is not None else (dossier.received_at or dossier.submitted_at)
    return timezone.localdate(when) if when else timezone.localdate()


# -- helpers ------------------------------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _two(number: int) -> str:
    return f"{number:02d}"


def _line(styles: Styles, label: str, value, *, bold=False) -> Paragraph:
    value_text = t(value) if value not in (None, "") else "……………………………"
    if bold:
        value_text = f"<b>{value_text}</b>"
    return Paragraph(f"{t(label)}: {value_text}", styles.body)


def _applicant_lines(styles: Styles, dossier, *, lead: str) -> list:
    contact = " - ".join(x for x in (dossier.owner_phone, dossier.owner_email) if x)
    items = [
        _line(styles, lead, f"Ông/Bà {nfc(dossier.owner_name)}", bold=True),
        _line(styles, ID_LABELS.get(dossier.owner_id_type, "Số giấy tờ"), dossier.owner_id_number),
        _line(styles, "Địa chỉ", dossier.owner_address),
        _line(styles, "Số điện thoại, thư điện tử", contact),
    ]
    if dossier.filer_name:
        filer = dossier.filer_name + (f" (số giấy tờ {dossier.filer_id_number})" if dossier.filer_id_number else "")
        items.append(_line(styles, "Người nộp thay", filer))
    return items


def _request(dossier) -> str:
    text = f"{nfc(dossier.procedure.name)} (trường hợp: {nfc(dossier.case.name)})"
    if dossier.subject and nfc(dossier.subject) not in text:
        text += f" - {nfc(dossier.subject)}"
    return text


def _request_line(styles: Styles, dossier) -> Paragraph:
    return _line(styles, "Nội dung yêu cầu giải quyết", _request(dossier))


def _processing_time(dossier) -> str:
    case = dossier.case
    amount = case.processing_time
    if dossier.channel == Channel.ONLINE and case.online_processing_time is not None:
        amount = case.online_processing_time
    return f"{_amount(amount)} {case.get_time_unit_display()}"


def _numbered(styles: Styles, text: str) -> list:
    """Each non-empty line of `text` as its own paragraph."""
    lines = [line.strip() for line in nfc(text).splitlines() if line.strip()]
    return [Paragraph(t(line), styles.body) for line in lines] or [Paragraph("……………………………", styles.body)]


# -- forms --------------------------------------------------------------------------------------------------------


def form_01(styles: Styles, dossier, event) -> list:
    story = [Paragraph(f"{t(dossier.receiving_agency.name)} tiếp nhận hồ sơ của:", styles.body)]
    story += _applicant_lines(styles, dossier, lead="Người nộp hồ sơ")
    story.append(_request_line(styles, dossier))
    story.append(Paragraph("<b>1. Thành phần hồ sơ nộp gồm:</b>", styles.body))
    components = [c for c in dossier.components.all() if c.received]
    data = [[Paragraph("STT", styles.cell_head), Paragraph("Tên giấy tờ", styles.cell_head),
             Paragraph("Bản chính", styles.cell_head), Paragraph("Bản sao", styles.cell_head),
             Paragraph("Ghi chú", styles.cell_head)]]
    for index, component in enumerate(components, 1):
        note = component.note or ("Khai thác từ kho dữ liệu" if component.reused_from_data_store else "")
        data.append([Paragraph(str(index), styles.cell_center), Paragraph(t(component.name), styles.cell),
                     Paragraph(_two(component.originals), styles.cell_center),
                     Paragraph(_two(component.copies), styles.cell_center), Paragraph(t(note), styles.cell)])
    if not components:
        data.append([Paragraph("", styles.cell), Paragraph("(Không có giấy tờ)", styles.cell), "", "", ""])
    story.append(grid(data, [12 * mm, FRAME_WIDTH - 12 * mm - 2 * 20 * mm - 35 * mm, 20 * mm, 20 * mm, 35 * mm]))
    story.append(Spacer(1, 2 * mm))
    story.append(Paragraph(f"<b>2. Số lượng hồ sơ:</b> {_two(dossier.sets or 1)} (bộ)", styles.body))
    story.append(Paragraph(f"<b>3. Thời gian giải quyết hồ sơ theo quy định là:</b> {t(_processing_time(dossier))}",
                           styles.body))
    story.append(Paragraph(f"<b>4. Thời gian nhận hồ sơ:</b> {t(fmt_datetime(dossier.received_at))}", styles.body))
    if dossier.due_at is not None:
        due = timezone.localtime(dossier.due_at)
        appointment = f"hẹn trả kết quả lúc {due:%H} giờ {due:%M} ngày {due:%d/%m/%Y}"
    else:
        appointment = "thủ tục không hẹn ngày trả kết quả; cơ quan sẽ thông báo khi có kết quả"
    story.append(Paragraph(f"<b>5. Thời gian trả kết quả giải quyết hồ sơ:</b> {t(appointment)}", styles.body))
    story.append(Paragraph(f"<b>6. Hình thức nộp hồ sơ:</b> {t(dossier.get_channel_display())}", styles.body))
    delivery = dossier.get_delivery_method_display() if dossier.delivery_method else "Tại bộ phận một cửa"
    story.append(Paragraph(f"<b>7. Hình thức nhận kết quả:</b> {t(delivery)}", styles.body))
    story.append(Paragraph(f"<b>8. Cơ quan giải quyết:</b> {t(dossier.competent_agency.name)}", styles.body))
    officer = dossier.received_by.get_full_name() if dossier.received_by_id else ""
    story.append(Paragraph(f"<b>9. Người tiếp nhận hồ sơ:</b> {t(officer)}", styles.body))
    entry = f", số {dossier.book_number}" if dossier.book_number else ""
    story.append(Paragraph(f"Vào Sổ theo dõi hồ sơ của bộ phận tiếp nhận và trả kết quả{t(entry)}.", styles.body))
    story += signatures(styles, ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", dossier.filer_name or dossier.owner_name),
                        ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", officer))
    return story


def split_supplement(comment: str) -> tuple[str, str]:
    """(what is missing, deadline dd/mm/yyyy or "") from a request event's comment."""
    comment = nfc(comment or "")
    match = DEADLINE_LINE.search(comment)
    if match:
        return comment[: match.start()].strip(), match.group(1)
    return comment.strip(), ""


def form_02(styles: Styles, dossier, event) -> list:
    missing, deadline = split_supplement(event.comment)
    missing = missing or dossier.reason
    received = dossier.received_at or dossier.submitted_at
    story = [Paragraph(f"Ngày {t(fmt_date(received))}, {t(dossier.receiving_agency.name)} tiếp nhận hồ sơ của:",
                       styles.body)]
    story += _applicant_lines(styles, dossier, lead="Chủ hồ sơ")
    story.append(_request_line(styles, dossier))
    story.append(Paragraph(
        f"Sau khi xem xét, kiểm tra hồ sơ, ngày {t(fmt_date(event.at))}, cơ quan đề nghị Ông/Bà bổ sung, hoàn thiện "
        "hồ sơ gồm những nội dung sau:", styles.body))
    story += _numbered(styles, missing)
    if deadline:
        story.append(Paragraph(f"<b>Thời hạn bổ sung, hoàn thiện hồ sơ:</b> trước ngày {t(deadline)}.", styles.body))
    story.append(Paragraph(
        "Thời gian chờ bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết. Trong quá trình hoàn thiện hồ "
        "sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
        f"{t(dossier.receiving_agency.name)}"
        f"{' (điện thoại ' + t(dossier.receiving_agency.phone) + ')' if dossier.receiving_agency.phone else ''}"
        f" hoặc người hướng dẫn {t(event.sender_name)} để được hướng dẫn.", styles.body))
    story += signatures(styles, ("Người hướng dẫn", "(Ký và ghi rõ họ tên)", event.sender_name))
    return story


def form_03(styles: Styles, dossier, event) -> list:
    reason = nfc(event.comment or dossier.reason)
    when = dossier.submitted_at or dossier.received_at
    story = [Paragraph(f"Ngày {t(fmt_date(when))}, {t(dossier.receiving_agency.name)} tiếp nhận hồ sơ của:",
                       styles.body)]
    story += _applicant_lines(styles, dossier, lead="Chủ hồ sơ")
    story.append(_request_line(styles, dossier))
    story.append(Paragraph(
        "Căn cứ quy định của pháp luật về thủ tục hành chính nêu trên, cơ quan từ chối tiếp nhận, giải quyết hồ sơ "
        "này với lý do cụ thể như sau:", styles.body))
    story += _numbered(styles, reason)
    story.append(Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", styles.body))
    story += signatures(styles, ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", event.sender_name))
    return story


def split_apology(comment: str) -> tuple[str, datetime.datetime | None, datetime.datetime | None]:
    """(reason, old appointment, new appointment) from an apology event's comment."""
    comment = nfc(comment or "")
    match = APOLOGY_LINE.search(comment)
    if not match:
        return comment.strip(), None, None

    def parse(text):
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            return None

    return comment[: match.start()].strip(), parse(match.group(1)), parse(match.group(2))


def form_04(styles: Styles, dossier, event) -> list:
    reason, old, new = split_apology(event.comment)
    new = new or dossier.due_at
    competent = dossier.competent_agency.name
    story = [
        Paragraph(f"Kính gửi: <b>Ông/Bà {t(dossier.owner_name)}</b>", styles.center),
        Spacer(1, 2 * mm),
        Paragraph(f"Ngày {t(fmt_date(dossier.received_at))}, {t(dossier.receiving_agency.name)} tiếp nhận hồ sơ của "
                  f"Ông/Bà {t(dossier.owner_name)}, mã hồ sơ {t(dossier.code)}, đề nghị giải quyết thủ tục: "
                  f"{t(_request(dossier))}.", styles.body),
        Paragraph(f"Thời hạn trả kết quả giải quyết hồ sơ đã hẹn: <b>{t(fmt_datetime(old))}</b>.", styles.body),
        Paragraph(f"Tuy nhiên đến nay, {t(competent)} chưa thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn "
                  "ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", styles.body),
        Paragraph("<b>Lý do:</b>", styles.body),
    ]
    story += _numbered(styles, reason or dossier.reason)
    story += [
        Paragraph("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. "
                  f"{t(competent)} xin lỗi Ông/Bà về sự bất tiện này.", styles.body),
        Paragraph(f"{t(competent)} sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào lúc "
                  f"<b>{t(fmt_datetime(new))}</b>.", styles.body),
        Paragraph("Kính mong nhận được sự thông cảm của Ông/Bà./.", styles.body),
    ]
    story += signatures(styles, ("Đại diện cơ quan giải quyết", "(Ký, ghi rõ họ tên và đóng dấu)",
                                 event.sender_name))
    return story


def form_05(styles: Styles, dossier, event) -> list:
    reason = nfc(event.comment or dossier.reason)
    competent = dossier.competent_agency.name
    story = [
        Paragraph(f"Kính gửi: <b>Ông/Bà {t(dossier.owner_name)}</b>", styles.center),
        Spacer(1, 2 * mm),
        Paragraph(f"Ngày {t(fmt_date(dossier.received_at))}, {t(dossier.receiving_agency.name)} tiếp nhận hồ sơ của "
                  f"Ông/Bà {t(dossier.owner_name)}, mã hồ sơ {t(dossier.code)}, đề nghị giải quyết thủ tục: "
                  f"{t(_request(dossier))}.", styles.body),
        Paragraph(f"Ngày {t(fmt_date(event.at))}, {t(competent)} thông báo <b>dừng giải quyết hồ sơ</b> nêu trên "
                  "với lý do như sau:", styles.body),
    ]
    story += _numbered(styles, reason)
    story += [
        Paragraph("Hồ sơ, giấy tờ Ông/Bà đã nộp được trả lại tại nơi tiếp nhận hồ sơ (trừ giấy tờ cơ quan được lưu "
                  "theo quy định). Nếu không đồng ý, Ông/Bà có quyền khiếu nại theo quy định của pháp luật.",
                  styles.body),
        Paragraph("Xin thông báo để Ông/Bà được biết./.", styles.body),
    ]
    story += signatures(styles, ("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", event.sender_name))
    return story


def _stamp(value) -> str:
    """"08:00" over "02/03/2026" (a date never breaks inside a narrow cell)."""
    return t(fmt_short(value)).replace(" ", "<br/>", 1)


def form_06(styles: Styles, dossier, event) -> list:
    from tinhso.dossiers.slip import control_slip_rows

    story = [
        _line(styles, "Chủ hồ sơ", f"Ông/Bà {nfc(dossier.owner_name)}"),
        _request_line(styles, dossier),
        _line(styles, "Nơi tiếp nhận", dossier.receiving_agency.name),
        _line(styles, "Cơ quan giải quyết", dossier.competent_agency.name),
        Paragraph(f"Thời gian nhận hồ sơ: {t(fmt_datetime(dossier.received_at))}. Hẹn trả kết quả: "
                  f"{t(fmt_datetime(dossier.due_at)) or 'không hẹn'}.", styles.body),
        Spacer(1, 2 * mm),
    ]
    heads = ["Tên bước", "Thời gian giao, nhận hồ sơ", "Bên giao", "Bên nhận", "Hạn xử lý",
             "Kết quả (Trước hạn / Đúng hạn / Quá hạn)", "Ghi chú"]
    data = [[Paragraph(t(head), styles.cell_head) for head in heads]]
    for row in control_slip_rows(dossier):
        step = f"{row['index']}. {t(row['step_name'] or row['action_label'])}"
        if row["next_step_name"] and row["next_step_name"] != row["step_name"]:
            step += f"<br/>→ {t(row['next_step_name'])}"
        step += f"<br/><i>({t(row['action_label'])})</i>"
        giver = t(row["giver"]) + (f"<br/><i>{t(row['giver_agency'])}</i>" if row["giver_agency"] else "")
        receiver = t(row["receiver"]) + (f"<br/><i>{t(row['receiver_agency'])}</i>"
                                         if row["receiver_agency"] else "")
        outcome = row["outcome_label"]
        if row["outcome"] == "late":
            outcome = f"<b>{t(outcome)}</b>"
        data.append([Paragraph(step, styles.cell), Paragraph(_stamp(row["at"]), styles.cell_center),
                     Paragraph(giver, styles.cell), Paragraph(receiver, styles.cell),
                     Paragraph(_stamp(row["due_at"]), styles.cell_center),
                     Paragraph(outcome if row["outcome"] else "", styles.cell_center),
                     Paragraph(t(row["note"]), styles.cell)])
    widths = [30, 21, 26, 26, 21, 19, 0]
    widths[-1] = FRAME_WIDTH / mm - sum(widths)
    story.append(grid(data, [w * mm for w in widths]))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph("Ghi chú: Kết quả của bước được so với hạn xử lý của bước đó: trước ngày hạn là trước hạn, "
                           "trong ngày hạn và không muộn hơn giờ hạn là đúng hạn, sau giờ hạn là quá hạn.",
                           styles.small))
    return story


BUILDERS = {"01": form_01, "02": form_02, "03": form_03, "04": form_04, "05": form_05, "06": form_06}
