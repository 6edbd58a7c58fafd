"""The generator's own distributions: popularity, seasons, hours, probabilities, names and
reasons (see docs/data-generator.md). Tune here; nothing else holds a number of the model."""

from __future__ import annotations

from tinhso.demo.province_year.common import COUNTER, ONLINE, POST


# ---- distributions ------------------------------------------------------------------------------

# Relative popularity of procedures (national code -> weight; others 1). Certified copies, civil
# status, residence and land dominate a province's one-stop-shop traffic.
POPULARITY = {
    "2.000815": 30, "2.000884": 9, "2.001035": 3, "1.001193": 9, "1.012986": 4, "1.004222": 7, "1.004194": 5,
    "1.004873": 6, "2.000635": 5, "1.000656": 3, "1.012987": 1.5, "1.000894": 3, "1.004859": 1.5,
    "1.004884": 1, "1.001022": 0.5, "1.012794": 7, "1.012800": 4, "1.012753": 3, "2.000720": 2.5,
    "2.000719": 1.5, "2.000542": 0.8, "2.000575": 0.8, "1.009794": 2.5, "1.009795": 1, "1.009797": 0.6,
    "1.009793": 0.5, "2.001610": 1.2, "1.005389": 0.6, "1.005092": 0.8, "1.001731": 0.8, "1.001776": 0.8,
    "1.010813": 0.4, "1.000105": 0.3, "1.009465": 0.2, "1.002425": 0.4, "1.004571": 0.3, "2.000150": 0.3,
    "2.000633": 0.3,
}


MONTH_FACTOR = [1.05, 0.72, 1.10, 1.0, 1.0, 1.0, 0.95, 1.0, 1.03, 1.05, 1.06, 1.15]


WEEKDAY_FACTOR = [1.18, 1.06, 1.0, 0.96, 0.90, 0.55, 0.35]  # Monday..Sunday (Saturday: make-up days)


ONLINE_HOURS = [0.2, 0.1, 0.05, 0.05, 0.1, 0.4, 1.2, 3.0, 5.5, 6.5, 6.2, 4.5, 2.2, 2.4, 4.8, 5.6, 5.0, 3.4,
                2.0, 2.6, 3.2, 2.8, 1.6, 0.7]


P_ONLINE = {"full": 0.66, "partial": 0.45, "none": 0.0}


P_POST = 0.035


P_LATE, P_STUCK = 0.032, 0.008


P_REFUSE_ONLINE, P_WITHDRAW, P_STOP = 0.015, 0.006, 0.0025


P_APOLOGY = 0.45  # of the dossiers that will be late: the agency issues an apology letter (form 04) in time


P_REFUSE_MERITS = 0.012  # of the finished ones: refused on the merits with a signed letter


APOLOGY_LEAD_HOURS = (8.0, 20.0)  # working hours before the appointment (the rule asks at least 8)


MERITS_REASONS = ["Không đủ điều kiện theo quy định của pháp luật chuyên ngành.",
                  "Kết quả thẩm định, xác minh thực tế không đáp ứng yêu cầu."]


P_SUPPLEMENT = {"DD": 0.14, "XD": 0.14, "YT": 0.12, "KCB": 0.12, "DN": 0.08, "HKD": 0.06}


P_SUPPLEMENT_DEFAULT = 0.04


P_SUPPLEMENT_REFUSED = 0.12


P_NEVER_COLLECTED = 0.015


P_CROSS_BOUNDARY = 0.03


# Digitisation (số hóa, Decision 766 group 4). Assumed shares, not measured figures: a counter dossier is scanned
# at reception (each paper, with a few left on paper) or kept on paper only; an online one is filed electronically.
# A paper the catalogue says a national database holds is taken from it (no paper); one the citizen's data store
# may hold is taken from there (online). Results: electronic (signed) or paper, a part of the paper ones scanned
# afterwards (the action `digitise_result`) within three days.
P_SCANNED_DOSSIER = 0.72
P_SCAN_PAPER = 0.96
P_NATIONAL = {ONLINE: 0.6, COUNTER: 0.3, POST: 0.0}
P_DATA_STORE = 0.25
P_ELECTRONIC_RESULT = {ONLINE: 0.75, COUNTER: 0.45, POST: 0.4}
P_RESULT_DIGITISED = 0.5

P_EVALUATE = {ONLINE: 0.22, COUNTER: 0.08, POST: 0.05}


FAMILY = [("Nguyễn", 31), ("Trần", 11), ("Lê", 10), ("Phạm", 6), ("Huỳnh", 6), ("Võ", 5), ("Phan", 4),
          ("Trương", 2.5), ("Lâm", 2), ("Đặng", 2), ("Bùi", 1.5), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.5),
          ("Dương", 1.2), ("Lý", 1.2), ("Châu", 1), ("Thạch", 1.5), ("Sơn", 1), ("Danh", 1), ("Kim", 0.8),
          ("Tô", 0.8), ("Đoàn", 0.8), ("Mai", 0.6), ("Cao", 0.6), ("Quách", 0.5), ("Tạ", 0.4), ("Lưu", 0.6),
          ("Diệp", 0.4), ("Hà", 0.5)]


MIDDLE = (["Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Tấn", "Ngọc", "Trọng", "Thành"],
          ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Thùy", "Diễm", "Phương", "Như"])


GIVEN = (["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Kiệt", "Lâm",
          "Long", "Lợi", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quang", "Sang", "Sơn", "Tài",
          "Tâm", "Thắng", "Thành", "Thiện", "Toàn", "Trí", "Trung", "Tuấn", "Vinh", "Việt", "Vũ"],
         ["Anh", "Bích", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
          "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Nhi", "Oanh", "Phương",
          "Quyên", "Thảo", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"])


STREETS = ["Trần Hưng Đạo", "Nguyễn Trãi", "30 Tháng 4", "Mậu Thân", "Hùng Vương", "Lý Tự Trọng", "Nguyễn Văn Cừ",
           "Cách Mạng Tháng 8", "Trần Phú", "Lê Lợi", "Hai Bà Trưng", "Nguyễn Việt Hồng", "3 Tháng 2",
           "Võ Văn Kiệt", "Phạm Ngũ Lão", "Châu Văn Liêm", "Nguyễn Văn Linh", "Lê Hồng Phong"]


PHONE_PREFIX = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
                "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"]


# Province part of the personal identification number (place of birth registration).
ID_PROVINCES = [(92, 40), (93, 18), (94, 24), (86, 3), (87, 3), (89, 3), (91, 3), (95, 2), (96, 2), (79, 2)]


SUPPLEMENT_REASONS = [
    "Bổ sung bản sao Giấy chứng nhận quyền sử dụng đất có chứng thực.",
    "Tờ khai chưa ghi đầy đủ thông tin, đề nghị kê khai lại theo mẫu.",
    "Bổ sung văn bản ủy quyền có chứng thực của người nộp thay.",
    "Bổ sung bản vẽ thiết kế có chữ ký của chủ đầu tư.",
    "Giấy tờ tùy thân đã hết hạn, đề nghị bổ sung bản còn hiệu lực.",
    "Bổ sung giấy xác nhận tình trạng hôn nhân.",
]


REFUSE_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "Thành phần hồ sơ không đúng theo quy định, tệp đính kèm không đọc được.",
    "Thông tin trên tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "Hồ sơ trùng với hồ sơ đã nộp trước đó.",
]


WITHDRAW_REASONS = ["Công dân đề nghị rút hồ sơ để điều chỉnh thông tin.", "Công dân không còn nhu cầu giải quyết.",
                    "Công dân nộp lại hồ sơ theo trường hợp khác."]


STOP_REASONS = ["Có tranh chấp, khiếu nại liên quan đến nội dung hồ sơ.",
                "Cơ quan có thẩm quyền đề nghị dừng để xác minh.",
                "Người yêu cầu không thực hiện nghĩa vụ tài chính theo quy định."]


SUPPLEMENT_REFUSED_REASON = "Quá thời hạn bổ sung hồ sơ theo phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."


EVALUATION_COMMENTS = {
    "very_satisfied": ["Cán bộ hướng dẫn tận tình, trả kết quả sớm.", "Rất hài lòng, thủ tục nhanh gọn.",
                       "Nộp trực tuyến tiện lợi, không phải đi lại."],
    "satisfied": ["Hài lòng.", "Thủ tục rõ ràng, thời gian hợp lý.", "Cần thêm chỗ ngồi chờ tại bộ phận một cửa."],
    "not_satisfied": ["Trả kết quả trễ hẹn.", "Phải đi lại nhiều lần để bổ sung giấy tờ.",
                      "Hệ thống trực tuyến hay bị lỗi khi tải tệp."],
}


REASON_LATE = "Cần xác minh thêm thông tin với cơ quan liên quan nên chưa trả kết quả đúng hẹn."
