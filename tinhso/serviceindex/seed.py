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


# Version 2, from 1 January 2027: indicator 2.2 (average resolution time) scored. The public description names 2.2
# without a formula, points or thresholds (shared/domain/kpi-and-calendar.md), so all of them are assumptions
# marked unverified: the share of the allowed time actually used by the dossiers handled (sum of actual times /
# sum of allowed times), full marks at 50% or less, none at 100% or more; 4 of group 2's 20 points, 2.1 keeping 16.
# An administrator corrects them with a new version once checked against the decision.
VERSION_2027 = {"code": "qd766-2027-tg", "name": "Bộ chỉ số theo Quyết định 766/QĐ-TTg (chấm điểm chỉ số 2.2)",
                "basis": "Quyết định 766/QĐ-TTg ngày 23/6/2022; điểm và ngưỡng chỉ số 2.2 chưa đối chiếu văn bản",
                "valid_from": "2027-01-01",
                "note": "Chỉ số 2.2 (thời gian giải quyết trung bình) được chấm theo giả định: tỷ lệ thời gian thực tế "
                        "so với thời gian quy định, đạt tối đa khi không quá 50%, 0 điểm khi từ 100%; 2.1 còn 16 "
                        "điểm. Cần đối chiếu văn bản, hướng dẫn của Văn phòng Chính phủ rồi tạo phiên bản mới."}
CHANGES_2027 = {"2.1": {"max_points": D("16"), "confirmed": False}}
ADDED_2027 = [{"group": 2, "code": "2.2", "name": "Thời gian giải quyết trung bình", "formula": "resolution_time",
               "formula_text": "Tổng thời gian giải quyết thực tế / tổng thời gian theo quy định của các hồ sơ đã "
                               "giải quyết có hẹn trả (đạt tối đa khi ≤ 50%, 0 điểm khi ≥ 100%)",
               "max_points": D("4"), "target": D("0.5"), "zero_ratio": D("1"), "source": "computed",
               "confirmed": False}]


def build_version(Methodology, IndicatorGroup, Indicator, previous, *, code, name, basis, valid_from, note="",
                  created_by=None, changes=None, added=()):
    """A new version: a copy of `previous` with `changes` ({code: {"max_points", "target", "zero_ratio",
    "confirmed"}}, values already checked) and the `added` indicators (dicts as ADDED_2027); each group's
    maximum is the sum of its indicators'. Used by `actions.create_methodology_version` and by migrations
    (historical models). Returns (version, codes of `previous`)."""
    changes = changes or {}
    version = Methodology.objects.create(code=code, name=name, basis=basis, note=note, valid_from=valid_from,
                                         created_by=created_by)
    known = set()
    for group in previous.groups.order_by("number"):
        new_group = IndicatorGroup.objects.create(methodology=version, number=group.number, name=group.name,
                                                  max_points=group.max_points)
        rows = []
        for ind in group.indicators.order_by("order", "code"):
            known.add(ind.code)
            change = changes.get(ind.code, {})
            rows.append(dict(code=ind.code, name=ind.name, formula=ind.formula, formula_text=ind.formula_text,
                             max_points=change.get("max_points", ind.max_points),
                             target=change.get("target", ind.target),
                             zero_ratio=change.get("zero_ratio", ind.zero_ratio), source=ind.source,
                             weight_confirmed=bool(change.get("confirmed", ind.weight_confirmed))))
        for new in added:
            if new["group"] == group.number:
                rows.append(dict(code=new["code"], name=new["name"], formula=new["formula"],
                                 formula_text=new["formula_text"], max_points=new["max_points"],
                                 target=new["target"], zero_ratio=new.get("zero_ratio"), source=new["source"],
                                 weight_confirmed=new.get("confirmed", False)))
        rows.sort(key=lambda r: [int(x) for x in r["code"].split(".")])
        for order, row in enumerate(rows):
            Indicator.objects.create(group=new_group, order=order, **row)
        new_group.max_points = sum((r["max_points"] for r in rows), D("0"))
        new_group.save(update_fields=["max_points"])
    return version, known

