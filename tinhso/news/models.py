"""News and announcements (tin tức, thông báo) published by an agency's
communication staff, with images, categories, scheduled publication and, for
announcements, the communes they concern."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    NEWS = "news", _("Tin tức")
    ANNOUNCEMENT = "announcement", _("Thông báo")


class Category(models.Model):
    """Chuyên mục: a heading news is filed under."""

    name = models.CharField(_("tên chuyên mục"), max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published (the moment has come) and not withdrawn."""
        now = now or timezone.now()
        return self.filter(published_at__isnull=False, published_at__lte=now, withdrawn_at__isnull=True)


class Article(models.Model):
    """Tin bài: a piece of news or an announcement (thông báo). The body is
    plain text (paragraphs separated by blank lines), shown escaped. Visible
    from `published_at` (null = draft; in the future = scheduled), hidden
    again when withdrawn (gỡ). `target_communes` names the communes an
    announcement concerns (the citizen app's warnings use them).
    `announced_at`: when an announcement went out as a push to the citizen
    app's "announcements" subscribers (once; see actions.announce_due)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="articles",
                               verbose_name=_("cơ quan đăng"))
    kind = models.CharField(_("loại"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.CharField(_("tóm tắt"), max_length=600, blank=True)
    body = models.TextField(_("nội dung"))
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
                                 verbose_name=_("chuyên mục"))
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)
    announced_at = models.DateTimeField(_("đã gửi thông báo đẩy lúc"), null=True, blank=True, editable=False)
    target_communes = models.ManyToManyField("units.AdministrativeUnit", blank=True, related_name="+",
                                             verbose_name=_("xã, phường liên quan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["withdrawn_at", "published_at"])]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="article_has_title")]
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin tức, thông báo")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return bool(self.published_at and self.published_at <= timezone.now() and not self.withdrawn_at)

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ArticleImage(models.Model):
    """Ảnh của tin bài: re-encoded without metadata, with a thumbnail."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="news/%Y/%m/")
    thumbnail = models.FileField(upload_to="news/%Y/%m/")
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ảnh tin bài")
        verbose_name_plural = _("ảnh tin bài")
