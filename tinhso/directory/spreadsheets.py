"""Excel in and out: existing mailboxes imported from the old mail system
(every bad row listed, nothing saved unless every row is good), and the
directory exported."""

from __future__ import annotations

import io
import zipfile

from django.db import transaction
from openpyxl import Workbook, load_workbook

from tinhso.accounts.models import User
from tinhso.accounts.permissions import require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.cells import safe_cell
from tinhso.core.errors import InvalidInput
from tinhso.directory import actions
from tinhso.directory.models import DirectoryEvent, Mailbox, MailboxState
from tinhso.directory.queries import entries, official_email

IMPORT_COLUMNS = ["Địa chỉ thư", "Mã cơ quan", "Tên đăng nhập cán bộ", "Tên hiển thị", "Trạng thái"]
STATES = {"": MailboxState.ACTIVE, "hoạt động": MailboxState.ACTIVE, "đang hoạt động": MailboxState.ACTIVE,
          "tạm khóa": MailboxState.SUSPENDED, "active": MailboxState.ACTIVE, "suspended": MailboxState.SUSPENDED}
MAX_ROWS = 20000


def import_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Hộp thư"
    ws.append(IMPORT_COLUMNS)
    ws.append(["nguyenvana@cantho.gov.vn", "000.00.11.H13", "chuyenvien.sxd", "Nguyễn Văn A", "Hoạt động"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(data: bytes):
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput("Tệp không phải là bảng tính Excel (.xlsx) đọc được.", code="invalid_file",
                           errors=[{"field": "file", "message": "Chọn tệp .xlsx."}]) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or [str(h or "").strip() for h in header[:len(IMPORT_COLUMNS)]] != IMPORT_COLUMNS:
        raise InvalidInput("Dòng tiêu đề phải là: " + " | ".join(IMPORT_COLUMNS) + ".", code="invalid_header",
                           errors=[{"field": "file", "message": "Dùng tệp mẫu."}])
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput(f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ.", code="too_many_rows")
        cells = [str(c).strip() if c is not None else "" for c in (row or ())][:len(IMPORT_COLUMNS)]
        cells += [""] * (len(IMPORT_COLUMNS) - len(cells))
        if any(cells):
            yield number, cells


def import_mailboxes(data: bytes, *, acting_user) -> int:
    """Create the mailboxes of every row. A row's errors are reported as
    `errors` [{"field": "dòng N", "message": …}]; with any, nothing is saved."""
    require_role(acting_user, actions.IT_ROLES)
    agencies = {a.code: a for a in Agency.objects.all()}
    existing = set(Mailbox.objects.values_list("address", flat=True))
    errors, good, seen = [], [], set()
    for number, (address, code, username, name, state) in _rows(data):
        problems = []
        try:
            address = actions._email(address)
        except InvalidInput as exc:
            problems.append(exc.message)
        if address in existing or address in seen:
            problems.append(f"địa chỉ {address} đã có")
        seen.add(address)
        agency = agencies.get(code)
        if agency is None:
            problems.append(f"không có cơ quan mã “{code}”")
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                problems.append(f"không có cán bộ “{username}”")
        if state.lower() not in STATES:
            problems.append(f"trạng thái “{state}” không hợp lệ (Hoạt động, Tạm khóa)")
        if problems:
            errors.append({"field": f"dòng {number}", "message": "; ".join(problems)})
            continue
        good.append(Mailbox(address=address, agency=agency, user=user, imported=True, state=STATES[state.lower()],
                            display_name=(name or (user.get_full_name() if user else agency.name))[:200]))
    if errors:
        raise InvalidInput(f"Có {len(errors)} dòng lỗi; chưa nhập dòng nào. Sửa các dòng dưới đây rồi nhập lại.",
                           code="invalid_rows", errors=errors)
    if not good:
        raise InvalidInput("Tệp không có dòng dữ liệu nào.", code="empty_file")
    with transaction.atomic():
        created = Mailbox.objects.bulk_create(good, batch_size=1000)
        created = list(Mailbox.objects.filter(address__in=[b.address for b in good]))
        DirectoryEvent.objects.bulk_create([DirectoryEvent(mailbox=b, action="imported", actor=acting_user)
                                            for b in created], batch_size=1000)
        record(actor=acting_user, action="directory.mailboxes_imported", changes={"count": len(created)})
    return len(created)


def export_directory(query: str = "", agencies=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh bạ")
    ws.append(["Họ và tên", "Chức vụ", "Cơ quan", "Mã cơ quan", "Thư công vụ", "Điện thoại cơ quan"])
    for e in entries(query, agencies).iterator(chunk_size=1000):
        ws.append([safe_cell(v) for v in (e.user.get_full_name(), e.user.job_title, e.agency.name, e.agency.code,
                                      official_email(e), e.office_phone)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
