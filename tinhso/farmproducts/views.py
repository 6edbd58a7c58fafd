"""Staff pages (producers, products, codes, batches, QR and labels) and the
public traceability pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.spreadsheets import XLSX_TYPE, ImportRefused
from tinhso.farmproducts import actions, forms, importer, labels, queries
from tinhso.farmproducts.models import Batch, GrowingArea, PackingHouse, Producer, Product, ProductPhoto
from tinhso.core.maps import map_context
from tinhso.units.models import AdministrativeUnit

ROLES = actions.ROLES
KINDS = {
    "producer": (forms.ProducerForm, actions.register_producer, _("Thêm chủ thể sản xuất")),
    "product": (forms.ProductForm, actions.save_product, _("Thêm sản phẩm")),
    "area": (forms.GrowingAreaForm, actions.register_growing_area, _("Thêm mã số vùng trồng")),
    "packing": (forms.PackingHouseForm, actions.register_packing_house, _("Thêm mã số cơ sở đóng gói")),
    "batch": (forms.BatchForm, actions.create_batch, _("Tạo lô hàng")),
}


def _apply(form, exc: DomainError):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


def _choices(user):
    return {"communes": AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                          parent__code="92").order_by("name"),
            "agencies": agencies_in_scope(user, ROLES).order_by("path"),
            "producers": Producer.objects.order_by("name"),
            "products": Product.objects.select_related("producer").order_by("name")}


@staff_required(ROLES)
def index_view(request):
    products = Product.objects.select_related("producer__unit").prefetch_related("shop_links").order_by(
        "-ocop_stars", "name")
    return render(request, "farmproducts/index.html", {
        "products": products[:200], "batches": Batch.objects.select_related("product")[:50],
        "figures": queries.programme_figures()})


@staff_required(ROLES)
def areas_view(request):
    return render(request, "farmproducts/areas.html", {
        "areas": GrowingArea.objects.select_related("unit", "producer")[:500],
        "houses": PackingHouse.objects.select_related("unit")[:500], "reason_form": forms.ReasonForm(),
        **map_context()})


@staff_required(ROLES)
def new_view(request, kind):
    if kind not in KINDS:
        raise Http404()
    form_class, action, title = KINDS[kind]
    form = form_class(request.POST or None, **_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "unit" in data:
            data["unit_id"] = data.pop("unit")
        if "agency" in data:
            data["agency_id"] = data.pop("agency")
        try:
            saved = action(acting_user=request.user, **data)
            messages.success(request, _("Đã lưu."))
            if kind == "batch":
                return redirect("farmproducts:batch", code=saved.code)
            if kind == "product":
                return redirect("farmproducts:product", pk=saved.pk)
            return redirect("farmproducts:areas" if kind in ("area", "packing") else "farmproducts:index")
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "farmproducts/new.html", {"form": form, "title": title},
                  status=422 if form.errors else 200)


@staff_required(ROLES)
def product_view(request, pk):
    product = Product.objects.select_related("producer__unit").filter(pk=pk).first()
    if product is None:
        raise Http404()
    forms_ = {"shop": forms.ShopLinkForm(prefix="shop"), "cert": forms.CertificationForm(prefix="cert"),
              "photo": forms.PhotoForm(prefix="photo")}
    status = 200
    if request.method == "POST":
        which = request.POST.get("which")
        try:
            if which == "shop":
                forms_["shop"] = form = forms.ShopLinkForm(request.POST, prefix="shop")
                if form.is_valid():
                    actions.add_shop_link(acting_user=request.user, product_id=pk, **form.cleaned_data)
                    messages.success(request, _("Đã thêm gian hàng."))
                    return redirect("farmproducts:product", pk=pk)
            elif which == "cert":
                forms_["cert"] = form = forms.CertificationForm(request.POST, prefix="cert")
                if form.is_valid():
                    actions.add_certification(acting_user=request.user, product_id=pk, **form.cleaned_data)
                    messages.success(request, _("Đã thêm chứng nhận."))
                    return redirect("farmproducts:product", pk=pk)
            elif which == "photo":
                forms_["photo"] = form = forms.PhotoForm(request.POST, request.FILES, prefix="photo")
                if form.is_valid():
                    actions.add_photo(acting_user=request.user, product_id=pk, upload=form.cleaned_data["photo"])
                    messages.success(request, _("Đã thêm ảnh."))
                    return redirect("farmproducts:product", pk=pk)
            else:
                raise InvalidInput(_("Biểu mẫu không hợp lệ."))
        except DomainError as exc:
            _apply(forms_.get(which) or forms_["shop"], exc)
        status = 422
    return render(request, "farmproducts/product.html", {"product": product, **forms_}, status=status)


def _batch(code) -> Batch:
    if not code.isalnum():
        raise Http404()
    batch = Batch.objects.select_related("product__producer", "growing_area", "packing_house").filter(
        code=code).first()
    if batch is None:
        raise Http404(_("Không tìm thấy lô hàng."))
    return batch


@staff_required(ROLES)
def batch_view(request, code, error="", status=200):
    batch = _batch(code)
    return render(request, "farmproducts/batch.html", {"batch": batch, "url": labels.public_url(batch),
                                                       "reason_form": forms.ReasonForm(), "error": error},
                  status=status)


@staff_required(ROLES)
def qr_view(request, code):
    return HttpResponse(labels.qr_png(_batch(code)), content_type="image/png")


@staff_required(ROLES)
def labels_view(request, code):
    batch = _batch(code)
    try:
        count = int(request.GET.get("so", labels.COLUMNS * labels.ROWS))
    except ValueError:
        count = labels.COLUMNS * labels.ROWS
    response = HttpResponse(labels.label_sheet(batch, count), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tem-{batch.code}.pdf"'
    return response


@require_POST
@staff_required(ROLES)
def code_status_view(request, kind, code, action):
    try:
        actions.change_code_status(acting_user=request.user, kind=kind, code=code, action=action,
                                   reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã cập nhật tình trạng mã số %(code)s.") % {"code": code})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("farmproducts:areas")


BATCH_ACTIONS = {"suspend": True, "reinstate": False}


@require_POST
@staff_required(ROLES)
def batch_status_view(request, code, action):
    if action not in BATCH_ACTIONS:
        return batch_view(request, code, status=400, error=_(
            "Thao tác “%(action)s” không hợp lệ: chỉ có tạm dừng lưu hành hoặc cho lưu hành lại. Lô hàng không "
            "thay đổi.") % {"action": action[:40]})
    try:
        actions.set_batch_status(acting_user=request.user, code=code, suspend=BATCH_ACTIONS[action],
                                 reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã cập nhật tình trạng lô hàng."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("farmproducts:batch", code=code)


@staff_required(ROLES)
def import_view(request):
    """The Excel import of growing-area codes, packing-house codes and
    products; `?mau=<kind>` downloads that kind's template."""
    if request.GET.get("mau") in importer.SPECS:
        kind = request.GET["mau"]
        response = HttpResponse(importer.template_xlsx(kind), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{importer.SPECS[kind].filename}"'
        return response
    form = forms.ImportForm(request.POST or None, request.FILES or None,
                            agencies=agencies_in_scope(request.user, ROLES).order_by("path"))
    bad_rows = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = importer.import_file(acting_user=request.user, kind=data["kind"], agency_id=data["agency"],
                                          upload=data["file"])
            if result.kind == "product":
                messages.success(request, _("Đã nhập %(n)s sản phẩm (%(p)s chủ thể mới, %(s)s gian hàng).") % {
                    "n": result.created, "p": result.producers_created, "s": result.shop_links})
                return redirect("farmproducts:index")
            messages.success(request, _("Đã nhập %(n)s mã số, trong đó %(v)s mã đang hiệu lực.") % {
                "n": result.created, "v": result.verified})
            return redirect("farmproducts:areas")
        except ImportRefused as exc:
            form.add_error(None, exc.message)
            bad_rows = exc.rows
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "farmproducts/import.html", {"form": form, "bad_rows": bad_rows,
                                                        "specs": importer.SPECS},
                  status=422 if form.errors else 200)


@staff_required(ROLES)
def export_view(request):
    """Producers, products and codes of the user's agencies as one .xlsx."""
    response = HttpResponse(queries.export_xlsx(agencies_in_scope(request.user, ROLES)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="nong-san-ma-so.xlsx"'
    return response


# Public pages -----------------------------------------------------------------

def trace_lookup_view(request):
    code = "".join((request.GET.get("ma") or "").split()).upper()[:30]
    if code:
        if queries.public_batch(code) is not None:
            return redirect("trace:batch", code=code)
        return render(request, "farmproducts/trace_lookup.html", {"code": code, "missing": True}, status=404)
    products = (Product.objects.filter(shop_links__isnull=False).distinct().select_related("producer__unit")
                .prefetch_related("shop_links").order_by("-ocop_stars", "name")[:200])
    return render(request, "farmproducts/trace_lookup.html", {"products": products})


def trace_view(request, code):
    batch = queries.public_batch(code)
    if batch is None:
        raise Http404(_("Không tìm thấy lô hàng với mã này."))
    if request.method == "GET":
        actions.count_scan(batch.pk)
    area = batch.growing_area
    return render(request, "farmproducts/trace.html", {
        "batch": batch, "product": batch.product, "producer": batch.product.producer, "area": area,
        "house": batch.packing_house, "warnings": batch.warnings, **map_context()})


def photo_view(request, code, photo_id):
    if not code.isalnum():
        raise Http404()
    photo = ProductPhoto.objects.filter(pk=photo_id, product__batches__code=code).first()
    if photo is None:
        raise Http404()
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
