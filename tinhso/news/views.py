"""Back-office pages (write, schedule, illustrate, withdraw) and the public
list and detail pages of news and announcements."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.core.errors import DomainError
from tinhso.news import actions, forms
from tinhso.news.models import Article, ArticleImage, Category
from tinhso.units.models import AdministrativeUnit

ROLES = actions.ROLES
PAGE_SIZE = 10


def _apply(form, exc: DomainError):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


@staff_required(ROLES)
def manage_list_view(request):
    articles = Article.objects.filter(agency__in=agencies_in_scope(request.user, ROLES)).select_related(
        "agency", "category")
    return render(request, "news/manage_list.html", {"articles": articles[:200], "now": timezone.now()})


@staff_required(ROLES)
def edit_view(request, pk=None):
    scope = agencies_in_scope(request.user, ROLES)
    article = get_object_or_404(Article, pk=pk, agency__in=scope) if pk else None
    communes = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                 agencies__in=scope).distinct().order_by("name")
    initial = {}
    if article:
        initial = {"agency": article.agency_id, "kind": article.kind, "category": article.category_id,
                   "title": article.title, "summary": article.summary, "body": article.body,
                   "published_at": timezone.localtime(article.published_at).strftime("%Y-%m-%dT%H:%M")
                   if article.published_at else None,
                   "target_communes": [u.pk for u in article.target_communes.all()]}
    which = request.POST.get("which", "article") if request.method == "POST" else None
    form = forms.ArticleForm(request.POST if which == "article" else None, initial=initial,
                             agencies=scope.order_by("path"), categories=Category.objects.all(), communes=communes)
    image_form = forms.ImageForm(request.POST if which == "image" else None,
                                 request.FILES if which == "image" else None)
    if request.method == "POST":
        try:
            if which == "article" and form.is_valid():
                data = form.cleaned_data
                saved = actions.save_article(
                    acting_user=request.user, agency_id=data["agency"], kind=data["kind"], title=data["title"],
                    summary=data["summary"], body=data["body"], category_id=data["category"],
                    published_at=data["published_at"], target_commune_ids=data["target_communes"],
                    article_id=article.pk if article else None)
                messages.success(request, _("Đã lưu tin."))
                return redirect("news:edit", pk=saved.pk)
            if which == "image" and article and image_form.is_valid():
                actions.add_image(acting_user=request.user, article_id=article.pk,
                                  upload=image_form.cleaned_data["image"], caption=image_form.cleaned_data["caption"])
                messages.success(request, _("Đã thêm ảnh."))
                return redirect("news:edit", pk=article.pk)
        except DomainError as exc:
            _apply(image_form if which == "image" else form, exc)
    status = 422 if (form.errors or image_form.errors) else 200
    return render(request, "news/edit.html", {"form": form, "image_form": image_form, "article": article},
                  status=status)


@require_POST
@staff_required(ROLES)
def withdraw_view(request, pk):
    try:
        actions.withdraw_article(acting_user=request.user, article_id=pk)
        messages.success(request, _("Đã gỡ tin."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("news:index")


# Public pages -----------------------------------------------------------------

def public_list_view(request):
    qs = Article.objects.public().select_related("category", "agency").prefetch_related("images")
    category = Category.objects.filter(slug=(request.GET.get("chuyen-muc") or "").replace("\x00", "")[:60]).first()
    if category:
        qs = qs.filter(category=category)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "news/public_list.html", {"page": page, "category": category,
                                                     "categories": Category.objects.all()})


def public_detail_view(request, pk):
    article = Article.objects.public().select_related("category", "agency").filter(pk=pk).first()
    if article is None:
        raise Http404(_("Không có tin này."))
    return render(request, "news/public_detail.html", {"article": article})


def image_view(request, pk, thumb):
    image = ArticleImage.objects.filter(pk=pk, article__in=Article.objects.public()).first()
    if image is None:
        raise Http404()
    response = FileResponse((image.thumbnail if thumb else image.image).open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
