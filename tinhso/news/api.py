"""/api/v1/news: published news and announcements (public)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from ninja import Query, Router, Schema

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.news.models import Article, Category

router = Router(tags=["Tin tức, thông báo (công khai)"])
PAGE_SIZE = 20


class CategoryOut(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str
    thumbnail_url: str
    caption: str
    width: int
    height: int


class ArticleOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    category: CategoryOut | None
    agency: str
    published_at: datetime.datetime
    target_communes: list[str]
    thumbnail_url: str | None
    url: str


class ArticleDetailOut(ArticleOut):
    paragraphs: list[str]
    images: list[ImageOut]


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ArticleOut]


def _out(a: Article, detail=False) -> dict:
    images = list(a.images.all())
    out = {"id": a.pk, "kind": a.kind, "title": a.title, "summary": a.summary,
           "category": {"slug": a.category.slug, "name": a.category.name} if a.category else None,
           "agency": a.agency.name, "published_at": a.published_at,
           "target_communes": [u.code for u in a.target_communes.all()],
           "thumbnail_url": reverse("news:thumbnail", args=[images[0].pk]) if images else None,
           "url": reverse("news:public_detail", args=[a.pk])}
    if detail:
        out["paragraphs"] = a.paragraphs
        out["images"] = [{"url": reverse("news:image", args=[i.pk]), "thumbnail_url": reverse("news:thumbnail",
                                                                                               args=[i.pk]),
                          "caption": i.caption, "width": i.width, "height": i.height} for i in images]
    return out


def _public():
    return Article.objects.public().select_related("category", "agency").prefetch_related("images",
                                                                                          "target_communes")


@router.get("/categories", auth=None, response=list[CategoryOut], summary="Chuyên mục")
def categories(request):
    return [{"slug": c.slug, "name": c.name} for c in Category.objects.all()]


@router.get("", auth=None, response={200: PageOut, 422: ErrorOut}, summary="Tin tức, thông báo đã đăng")
def articles(request, category: str = "", kind: str = "", commune: str = "", page: int = Query(1, le=100000)):
    """Newest first, 20 a page. `category`: a slug; `kind`: news or
    announcement; `commune`: a commune code (announcements for it)."""
    if page < 1:
        raise InvalidInput("Số trang phải từ 1.", code="invalid_page",
                           errors=[{"field": "page", "message": "Số trang phải từ 1."}])
    qs = _public()
    category, kind, commune = (v.replace("\x00", "") for v in (category, kind, commune))
    if category:
        qs = qs.filter(category__slug=category[:60])
    if kind:
        qs = qs.filter(kind=kind[:20])
    if commune:
        qs = qs.filter(target_communes__code=commune[:10], target_communes__valid_to__isnull=True)
    count = qs.count()
    rows = qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return {"count": count, "page": page, "pages": max(1, -(-count // PAGE_SIZE)), "results": [_out(a) for a in rows]}


@router.get("/{int:article_id}", auth=None, response={200: ArticleDetailOut, 404: ErrorOut}, summary="Một tin")
def article(request, article_id: int):
    found = _public().filter(pk=article_id).first() if 0 < article_id < 2**63 else None
    if found is None:
        raise NotFound("Không có tin này.", code="article_not_found")
    return _out(found, detail=True)
