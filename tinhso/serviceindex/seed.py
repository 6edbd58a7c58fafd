"""The published methodology of Decision 766/QĐ-TTg (23 June 2022) as the
first version: groups, indicators, formulas, points and full-mark targets.
Points of several indicators are only partly confirmed by the public
description (shared/domain/kpi-and-calendar.md): `confirmed` says which."""

from decimal import Decimal as D

METHODOLOGY = {"code": "qd766-2022", "name": "Bộ chỉ số theo Quyết định 766/QĐ-TTg",
               "basis": "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ",
               "valid_from": "2022-06-23",
               "note": "Điểm của nhiều chỉ số thành phần chỉ được xác nhận một phần; cần đối chiếu văn bản và "
                       "hướng dẫn của Văn phòng Chính phủ, rồi tạo phiên bản mới."}

# (number, name, max points, [(code, name, formula key, formula text, max, target, source, confirmed)])
GROUPS = [
    (1, "Công khai, minh bạch", D("18"), [
        ("1.1", "Công bố, công khai TTHC đúng hạn", "entered", "Số TTHC công bố đúng hạn / số TTHC công bố trong kỳ",
         D("4"), D("1"), "entered", False),
        ("1.2", "Cập nhật TTHC lên CSDL quốc gia đúng hạn", "entered",
         "Số TTHC cập nhật lên CSDL quốc gia trong 5 ngày làm việc kể từ quyết định công bố / số TTHC công bố",
         D("4"), D("1"), "entered", True),
        ("1.3", "TTHC công khai đầy đủ bộ phận", "procedures_complete",
         "Số TTHC có đủ thành phần hồ sơ và kết quả / số TTHC đang áp dụng", D("4"), D("1"), "computed", False),
        ("1.4", "Hồ sơ đồng bộ lên Cổng DVCQG", "dossiers_synced",
         "Số hồ sơ tiếp nhận đã đồng bộ đủ lên Cổng DVCQG / số hồ sơ tiếp nhận", D("6"), D("1"), "computed", False),
    ]),
    (2, "Tiến độ, kết quả giải quyết", D("20"), [
        ("2.1", "Hồ sơ giải quyết đúng hạn", "on_time",
         "Số hồ sơ giải quyết trước, đúng hạn (trừ thời gian bổ sung; yêu cầu bổ sung quá 1 lần tính quá hạn) / "
         "số hồ sơ đã giải quyết", D("20"), D("1"), "computed", True),
    ]),
    (3, "Cung cấp dịch vụ trực tuyến", D("22"), [
        ("3.1", "TTHC cung cấp trực tuyến", "procedures_online",
         "Số TTHC trực tuyến (một phần, toàn trình) / số TTHC thuộc phạm vi", D("2"), D("0.8"), "computed", True),
        ("3.2", "Dịch vụ trực tuyến phát sinh hồ sơ", "online_used",
         "Số dịch vụ trực tuyến có ít nhất một hồ sơ trực tuyến / số dịch vụ trực tuyến", D("4"), D("1"),
         "computed", True),
        ("3.3", "Hồ sơ trực tuyến", "online_dossiers",
         "Số hồ sơ trực tuyến đã đồng bộ / số hồ sơ tiếp nhận", D("6"), D("0.5"), "computed", True),
        ("3.5", "TTHC có phí nộp được trực tuyến", "fee_online",
         "Số TTHC có phí, lệ phí cung cấp trực tuyến / số TTHC có phí, lệ phí", D("4"), D("0.8"), "computed", False),
        ("3.6", "Hồ sơ thanh toán trực tuyến", "paid_online",
         "Số hồ sơ nộp phí trực tuyến / số hồ sơ đã nộp phí", D("6"), D("1"), "computed", False),
    ]),
    (4, "Số hóa hồ sơ", D("22"), [
        ("4.1", "Hồ sơ có kết quả điện tử", "electronic_results",
         "Số hồ sơ có kết quả điện tử (hoặc kết quả giấy đã số hóa) / số hồ sơ có kết quả", D("4"), D("1"),
         "computed", False),
        ("4.2", "Hồ sơ được số hóa", "digitised_dossiers",
         "Số hồ sơ số hóa đủ thành phần và kết quả / số hồ sơ tiếp nhận", D("6"), D("0.8"), "computed", False),
        ("4.3", "Hồ sơ tái sử dụng dữ liệu số hóa", "reused_data",
         "Số hồ sơ lấy giấy tờ từ kho dữ liệu hoặc CSDL quốc gia / số hồ sơ tiếp nhận", D("4"), D("0.8"),
         "computed", False),
        ("4.4", "Hồ sơ gắn kho dữ liệu công dân", "datastore_linked",
         "Số hồ sơ gắn tài khoản công dân / số hồ sơ tiếp nhận", D("4"), D("1"), "computed", False),
        ("4.5", "Khai thác CSDL quốc gia về dân cư", "population_db",
         "Số hồ sơ xác thực với CSDL dân cư / số hồ sơ tiếp nhận", D("4"), D("1"), "computed", False),
    ]),
    (5, "Mức độ hài lòng", D("18"), [
        ("5.1", "Mức độ hài lòng khi tiếp nhận, giải quyết", "evaluation_satisfied",
         "Số đánh giá hài lòng, rất hài lòng / số đánh giá trong kỳ", D("6"), D("1"), "computed", True),
        ("5.2", "Phản ánh, kiến nghị xử lý đúng hạn", "entered",
         "Số phản ánh, kiến nghị về TTHC xử lý trong 15 ngày làm việc / số phản ánh, kiến nghị", D("4"), D("1"),
         "entered", False),
        ("5.3", "Hài lòng về xử lý phản ánh, kiến nghị", "entered",
         "Số phản ánh, kiến nghị người dân hài lòng với kết quả xử lý / số đã xử lý", D("4"), D("1"),
         "entered", False),
        ("5.4", "Hài lòng về giải quyết TTHC", "handling_satisfaction",
         "100% − (hồ sơ quá hạn + hồ sơ bị đánh giá không hài lòng) / hồ sơ đã giải quyết", D("4"), D("0.9"),
         "computed", False),
    ]),
]


def install(Methodology, IndicatorGroup, Indicator, *, data=None):
    """Create the first version unless one with its code exists (idempotent)."""
    import datetime

    m = data or METHODOLOGY
    if Methodology.objects.filter(code=m["code"]).exists():
        return
    version = Methodology.objects.create(code=m["code"], name=m["name"], basis=m["basis"], note=m["note"],
                                         valid_from=datetime.date.fromisoformat(m["valid_from"]))
    for number, name, max_points, items in GROUPS:
        group = IndicatorGroup.objects.create(methodology=version, number=number, name=name, max_points=max_points)
        for order, (code, iname, key, text, points, target, source, confirmed) in enumerate(items):
            Indicator.objects.create(group=group, code=code, name=iname, formula=key, formula_text=text,
                                     max_points=points, target=target, source=source, weight_confirmed=confirmed,
                                     order=order)
