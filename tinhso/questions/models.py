"""The Q&A box (hỏi đáp): a signed-in citizen asks an agency, its staff
answer, the agency may publish a useful exchange without the asker's name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionStatus(models.TextChoices):
    WAITING = "waiting", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class Question(models.Model):
    """Câu hỏi: a citizen's question to an agency and the agency's answer
    (câu trả lời). Published (công khai) from `published_at`, never with
    the asker's name."""

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions",
                              verbose_name=_("người hỏi"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="questions",
                               verbose_name=_("cơ quan được hỏi"))
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung câu hỏi"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=QuestionStatus.choices,
                              default=QuestionStatus.WAITING, db_index=True)
    answer = models.TextField(_("câu trả lời"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("hỏi lúc"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("hỏi đáp")

    def __str__(self):
        return self.title
