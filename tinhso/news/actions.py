"""State changes of news and announcements. Who publishes: the leader
(lãnh đạo đơn vị) or clerical office (văn thư) of the publishing agency or an
agency above it, and the system administrator: at the province, the
communication staff hold the clerical-office role in the Office of the
provincial people's committee (Văn phòng UBND) or the committee itself; a
department publishes its own news. No new role."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.citizenapp.push import announce
from tinhso.core.errors import NotFound, field_error, is_pk
from tinhso.dossiers.uploads import check_upload
from tinhso.fieldreports.media import public_copy
from tinhso.news.models import Article, ArticleImage, ArticleKind, Category
from tinhso.units.models import AdministrativeUnit

ROLES = (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PHOTO_LIMIT = 10 * 1024 * 1024
THUMB_EDGE = 480
MAX_IMAGES = 12
ANNOUNCE_WINDOW = datetime.timedelta(days=1)


def _text(value, field, label, limit, required=False, lines=False) -> str:
    value = str(value or "").replace("\r\n", "\n").strip() if lines else " ".join(str(value or "").split())
    if "\x00" in value:
        raise field_error(field, f"{label[0].upper() + label[1:]} có ký tự không hợp lệ.")
    if required and not value:
        raise field_error(field, f"Cần nhập {label}.")
    if len(value) > limit:
        raise field_error(field, f"{label[0].upper() + label[1:]} dài quá {limit} ký tự.")
    return value


def _require(user, agency) -> None:
    if user is not None:
        require_role(user, ROLES, agency)


def _moment(value):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise field_error("published_at", "Thời điểm đăng không đúng dạng (YYYY-MM-DD HH:MM).") from None
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@transaction.atomic
def save_article(*, acting_user, agency_id, title, body, summary="", kind=ArticleKind.NEWS, category_id=None,
                 published_at=None, target_commune_ids=(), article_id=None) -> Article:
    """Create or edit an article. `published_at`: empty keeps it a draft, a
    future moment schedules it; it becomes visible by itself then."""
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if is_pk(agency_id) else None
    if agency is None:
        raise field_error("agency", "Chọn cơ quan đăng tin.", "invalid_agency")
    _require(acting_user, agency)
    if kind not in ArticleKind.values:
        raise field_error("kind", "Loại tin không hợp lệ.")
    category = None
    if category_id not in (None, ""):
        category = Category.objects.filter(pk=category_id).first() if is_pk(category_id) else None
        if category is None:
            raise field_error("category", "Chuyên mục không hợp lệ.")
    ids = [str(i) for i in (target_commune_ids or [])]
    if any(not is_pk(i) for i in ids):
        raise field_error("target_communes", "Xã, phường không hợp lệ.")
    communes = list(AdministrativeUnit.objects.filter(pk__in=ids, level="commune", valid_to__isnull=True))
    if len(communes) != len(set(ids)):
        raise field_error("target_communes", "Chọn xã, phường hiện hành.")
    values = {"title": _text(title, "title", "tiêu đề", 300, True),
              "summary": _text(summary, "summary", "tóm tắt", 600),
              "body": _text(body, "body", "nội dung", 50000, True, lines=True), "kind": kind, "category": category,
              "published_at": _moment(published_at)}
    if article_id is None:
        article = Article.objects.create(agency=agency, created_by=acting_user, **values)
        action, changes = "news.article.created", {"title": values["title"]}
    else:
        article = Article.objects.select_for_update().filter(pk=article_id, agency=agency).first()
        if article is None:
            raise NotFound("Không tìm thấy tin bài.", code="article_not_found")
        changes = {k: [str(getattr(article, k) or ""), str(v or "")] for k, v in values.items()
                   if getattr(article, k) != v}
        for key, value in values.items():
            setattr(article, key, value)
        article.save()
        action = "news.article.changed"
    article.target_communes.set(communes)
    record(actor=acting_user, action=action, obj=article, changes=changes)
    _announce(article, timezone.now())
    return article


def _announce(article: Article, now) -> bool:
    """Push a public announcement to the citizen app's "announcements"
    subscribers (those of its communes when it names some), exactly once:
    the conditional update claims the article, and the push messages are
    deduplicated per citizen too. Call inside the transaction; the sending
    happens after commit. Announcements published more than ANNOUNCE_WINDOW
    ago (back-dated) are not pushed."""
    if (article.kind != ArticleKind.ANNOUNCEMENT or article.announced_at is not None or article.withdrawn_at
            or article.published_at is None or not now - ANNOUNCE_WINDOW <= article.published_at <= now):
        return False
    if not Article.objects.filter(pk=article.pk, announced_at__isnull=True).update(announced_at=now):
        return False  # another run got there first
    article.announced_at = now
    communes = [c.pk for c in article.target_communes.all()]
    text = article.summary or (article.paragraphs[0][:300] if article.paragraphs else "")
    reached = announce(article.title, text, f"news:{article.pk}", f"/app/#tin-tuc/{article.pk}",  # opens in the app
                       commune_ids=communes or None)
    record(actor=None, action="news.article.announced", obj=article, changes={"citizens": reached})
    return True


def announce_due(now=None) -> int:
    """The periodic job: push the scheduled announcements whose moment has
    come (and any a failed run left). Returns how many articles."""
    now = now or timezone.now()
    due = Article.objects.filter(kind=ArticleKind.ANNOUNCEMENT, announced_at__isnull=True, withdrawn_at__isnull=True,
                                 published_at__lte=now, published_at__gte=now - ANNOUNCE_WINDOW)
    done = 0
    for article_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=article_id).first()
            done += bool(article and _announce(article, now))
    return done


def _article(article_id) -> Article:
    article = Article.objects.select_for_update().select_related("agency").filter(
        pk=article_id if is_pk(article_id) else None).first()
    if article is None:
        raise NotFound("Không tìm thấy tin bài.", code="article_not_found")
    return article


@transaction.atomic
def withdraw_article(*, acting_user, article_id) -> Article:
    article = _article(article_id)
    _require(acting_user, article.agency)
    if article.withdrawn_at is None:
        article.withdrawn_at = timezone.now()
        article.save(update_fields=["withdrawn_at", "updated_at"])
        record(actor=acting_user, action="news.article.withdrawn", obj=article)
    return article


def _thumbnail(data: bytes) -> tuple[bytes, int, int]:
    """A 480 px JPEG of the re-encoded image, and the image's own size."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        size = image.size
        image.thumbnail((THUMB_EDGE, THUMB_EDGE))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue(), *size


@transaction.atomic
def add_image(*, acting_user, article_id, upload, caption="") -> ArticleImage:
    """An image (JPG, PNG, WebP up to 10 MB, checked by content) stored
    re-encoded without metadata (at most 1600 px) with a 480 px thumbnail."""
    article = _article(article_id)
    _require(acting_user, article.agency)
    if article.images.count() >= MAX_IMAGES:
        raise field_error("image", f"Mỗi tin tối đa {MAX_IMAGES} ảnh.")
    checked = check_upload(upload, "image", allowed=PHOTO_TYPES, label="ảnh JPG, PNG, WebP", limit=PHOTO_LIMIT)
    full = public_copy(checked).read()  # JPEG, upright, no metadata, at most 1600 px; a broken image is refused
    thumb, width, height = _thumbnail(full)
    stem = checked.name.rsplit(".", 1)[0][:60] or "anh"
    image = ArticleImage(article=article, caption=_text(caption, "caption", "chú thích", 300), width=width,
                         height=height)
    image.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    image.thumbnail.save(f"{stem}-nho.jpg", ContentFile(thumb), save=False)
    image.save()
    record(actor=acting_user, action="news.image.added", obj=article, changes={"image": image.image.name})
    return image


@transaction.atomic
def ensure_category(*, acting_user, name, slug, order=0) -> Category:
    if acting_user is not None:
        require_role(acting_user, (Role.SYSTEM_ADMIN,))
    category, created = Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    if created:
        record(actor=acting_user, action="news.category.created", obj=category)
    return category
