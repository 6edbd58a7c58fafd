"""The back office (enter a price, import a day from Excel, add a good) and
the public pages (a market's prices of the day, a good's trend)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.core.errors import DomainError, is_pk
from tinhso.marketprices import actions, forms, importer, queries
from tinhso.marketprices.models import Good, Market, PriceEntry

ROLES = actions.ROLES


def _apply(form, exc: DomainError):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


@staff_required(ROLES)
def manage_view(request):
    markets = Market.objects.filter(is_active=True, agency__in=agencies_in_scope(request.user, ROLES))
    goods = Good.objects.all()
    which = request.POST.get("which")
    price_form = forms.PriceForm(request.POST if which == "price" else None, markets=markets, goods=goods,
                                 prefix="price")
    import_form = forms.ImportForm(request.POST if which == "import" else None,
                                   request.FILES if which == "import" else None, prefix="import")
    good_form = forms.GoodForm(request.POST if which == "good" else None, prefix="good")
    bad_rows = []
    if request.method == "POST":
        try:
            if which == "price" and price_form.is_valid():
                data = price_form.cleaned_data
                actions.set_price(acting_user=request.user, market_id=data["market"], good_id=data["good"],
                                  day=data["day"], price=data["price"], note=data["note"])
                messages.success(request, _("Đã lưu giá."))
                return redirect("marketprices:index")
            if which == "import" and import_form.is_valid():
                result = importer.import_prices(acting_user=request.user, upload=import_form.cleaned_data["file"])
                messages.success(request, _("Đã nhập %(c)s giá mới, cập nhật %(u)s giá.") % {
                    "c": result.created, "u": result.updated})
                return redirect("marketprices:index")
            if which == "good" and good_form.is_valid():
                actions.create_good(acting_user=request.user, **good_form.cleaned_data)
                messages.success(request, _("Đã thêm mặt hàng."))
                return redirect("marketprices:index")
        except importer.ImportRefused as exc:
            import_form.add_error(None, exc.message)
            bad_rows = exc.rows
        except DomainError as exc:
            _apply({"price": price_form, "import": import_form, "good": good_form}.get(which, price_form), exc)
    recent = PriceEntry.objects.filter(market__in=markets).select_related("market", "good")[:100]
    status = 422 if (price_form.errors or import_form.errors or good_form.errors) else 200
    return render(request, "marketprices/manage.html", {
        "price_form": price_form, "import_form": import_form, "good_form": good_form, "bad_rows": bad_rows,
        "markets": markets, "recent": recent}, status=status)


@staff_required(ROLES)
def template_view(request):
    response = HttpResponse(importer.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-gia-ca.xlsx"'
    return response


# Public pages -----------------------------------------------------------------

def _market(value) -> Market | None:
    qs = Market.objects.filter(is_active=True)
    return qs.filter(pk=value).first() if is_pk(value) else None


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def public_board_view(request):
    markets = list(Market.objects.filter(is_active=True).select_related("unit"))
    market = _market(request.GET.get("cho")) or (markets[0] if markets else None)
    data = queries.board(market, _day(request.GET.get("ngay"))) if market else {"rows": [], "day": None}
    for row in data["rows"]:
        row["price_text"] = queries.money(row["price"])
        row["change_text"] = queries.money(abs(row["change"])) if row["change"] else ""
    return render(request, "marketprices/public_board.html", {"markets": markets, "market": market, **data})


def public_trend_view(request, good_id):
    good = Good.objects.filter(pk=good_id).first()
    if good is None:
        raise Http404(_("Không có mặt hàng này."))
    market = _market(request.GET.get("cho"))
    points = queries.trend(good, market, 30)
    markets = Market.objects.filter(is_active=True, prices__good=good).distinct()
    return render(request, "marketprices/public_trend.html", {
        "good": good, "market": market, "markets": markets, "chart": queries.line_chart(points),
        "points": [{"day": p["day"], "text": queries.money(p["price"])} for p in points]})
