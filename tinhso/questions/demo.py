"""Demo Q&A: the e-ID sandbox's fictitious citizens ask the Department of
Justice and Phường Ninh Kiều; the demo staff answer some and publish the
useful ones. Idempotent: nothing is added once the first question is there."""

from __future__ import annotations

from django.db import transaction

from tinhso.accounts.models import User
from tinhso.agencies.models import Agency
from tinhso.questions import actions
from tinhso.questions.models import Question

# (agency code, title, body, answering staff username or "", answer, publish)
QUESTIONS = [
    ("000.00.10.H13", "Xin trích lục khai sinh bản sao ở đâu?",
     "Tôi sinh ở Cần Thơ nhưng đang làm việc tại TP. Hồ Chí Minh. Tôi có thể xin bản sao trích lục khai sinh "
     "trực tuyến không?", "chuyenvien.stp",
     "Ông/bà có thể nộp trực tuyến trên Cổng dịch vụ công, thủ tục “Cấp bản sao trích lục hộ tịch”, nhận kết "
     "quả qua bưu chính hoặc bản điện tử trong kho dữ liệu cá nhân.", True),
    ("000.31135.H13", "Thời gian cấp giấy phép sửa chữa nhà ở riêng lẻ",
     "Nhà tôi ở phường Ninh Kiều cần sửa mái. Xin hỏi có cần giấy phép không và bao lâu thì có?", "lanhdao.ninhkieu",
     "Sửa chữa bên trong, không thay đổi kết cấu chịu lực thì được miễn giấy phép. Thay mái có ảnh hưởng kết cấu "
     "thì cần giấy phép; thời hạn giải quyết 15 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ.", True),
    ("000.31135.H13", "Đăng ký tạm trú cho sinh viên thuê trọ",
     "Con tôi thuê trọ ở phường Ninh Kiều để đi học, chủ nhà có phải đăng ký tạm trú không?", "", "", False),
]


def _citizens() -> list:
    from tinhso.identity.demo import sandbox_accounts

    return sandbox_accounts()


def seed_questions() -> bool:
    if Question.objects.filter(title=QUESTIONS[0][1]).exists():
        return False
    agencies = {a.code: a for a in Agency.objects.filter(code__in={q[0] for q in QUESTIONS})}
    staff = {u.username: u for u in User.objects.filter(username__in={q[3] for q in QUESTIONS if q[3]})}
    citizens = _citizens()
    if not citizens or len(agencies) < 2:
        return False
    with transaction.atomic():
        for i, (code, title, body, answerer, answer, publish) in enumerate(QUESTIONS):
            question = actions.ask_question(acting_user=citizens[i % len(citizens)], agency_id=agencies[code].pk,
                                            title=title, body=body)
            if answerer in staff:
                actions.answer_question(acting_user=staff[answerer], question_id=question.pk, answer=answer)
                if publish:
                    actions.set_published(acting_user=staff[answerer], question_id=question.pk, published=True)
    return True
