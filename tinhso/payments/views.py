"""Pages of the payments app.

Citizens: what is due and "Thanh toán trực tuyến" (/thanh-toan/<reference>/),
the return page after the payment platform (it reads the status from the
database and never marks anything paid by itself).
The platform: the server-to-server callback (/thanh-toan/cong/thong-bao/).
Staff: the payments list of the agencies in scope, a payment's page with
counter payment, cancel, refund and status query, creating a request, and
the daily reconciliation report (Excel)."""

from __future__ import annotations

import datetime
import json
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, has_role
from tinhso.agencies.models import Agency
from tinhso.catalogue.models import Fee, FeeExemption
from tinhso.core.errors import DomainError
from tinhso.dossiers.models import Dossier
from tinhso.integration import log as message_log
from tinhso.integration.models import Outcome
from tinhso.payments import actions, gateway
from tinhso.payments.forms import CancelForm, CounterForm, CreateForm, FilterForm, RefundForm, ReportForm
from tinhso.payments.models import PaymentRequest, PaymentStatus
from tinhso.payments.report import build_report, payments_of_day, report_xlsx

RECHECK_SECONDS = 30


def _payment_or_404(reference) -> PaymentRequest:
    try:
        return actions.get_payment(reference)
    except DomainError:
        raise Http404("Không tìm thấy yêu cầu thanh toán.") from None


# --- citizen ----------------------------------------------------------------------------------------

def _citizen_payment(request, reference):
    """The payment of the signed-in citizen's own dossier; others get 404."""
    payment = _payment_or_404(reference)
    if not actions.is_payer(request.user, payment):
        raise Http404("Không tìm thấy yêu cầu thanh toán.")
    return payment


def _login_redirect(request):
    return redirect(f"{reverse('identity:login')}?{urlencode({'next': request.get_full_path()})}")


@never_cache
def pay_view(request, reference):
    if not request.user.is_authenticated or not getattr(request.user, "is_citizen", False):
        return _login_redirect(request)
    payment = _citizen_payment(request, reference)
    if request.method == "POST":
        try:
            url = actions.start_online_payment(acting_user=request.user, payment=payment)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("payments:pay", reference=payment.reference)
        return redirect(url)
    return render(request, "payments/pay.html", {"p": payment, "lines": payment.lines.all()})


@never_cache
def return_view(request, reference):
    """After the platform: the status as recorded from the platform's
    verified callback. "Kiểm tra lại" asks the platform (status query)."""
    if not request.user.is_authenticated or not getattr(request.user, "is_citizen", False):
        return _login_redirect(request)
    payment = _citizen_payment(request, reference)
    if request.method == "POST":
        recent = payment.gateway_status_at and (timezone.now() - payment.gateway_status_at).total_seconds() \
            < RECHECK_SECONDS
        if payment.status == PaymentStatus.PENDING and payment.started_at and not recent:
            try:
                actions.reconcile(payment)
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect("payments:return", reference=payment.reference)
    payment.refresh_from_db()
    return render(request, "payments/return.html", {"p": payment, "paid": payment.status == PaymentStatus.PAID})


# --- the payment platform -----------------------------------------------------------------------------

@csrf_exempt
@never_cache
def callback_view(request):
    """The platform's payment result, server to server: form-encoded or JSON.
    Answers JSON {MaLoi, MoTa}; never a 500 for bad input."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raw = request.body.decode("utf-8", errors="replace")
    if request.content_type == "application/json":
        try:
            fields = json.loads(raw or "{}")
        except ValueError:
            fields = None
        if not isinstance(fields, dict):
            fields = {}
    else:
        fields = {k: v for k, v in request.POST.items()}
    started = time.monotonic()
    outcome = actions.handle_callback(fields, raw_body=raw)
    response = JsonResponse(outcome.as_json(), status=outcome.http_status)
    # one incoming row of the integration message log (service paygov): the body only as a digest
    reference = outcome.payment.reference if outcome.payment is not None else str(fields.get("MaThamChieu") or "")[:40]
    message_log.append(
        direction="in", service=gateway.SERVICE, operation=f"POST {request.path}",
        purpose="Kết quả thanh toán từ cổng thanh toán", subject=reference,
        request_digest=message_log.digest(request.body), response_digest=message_log.digest(response.content),
        status=outcome.http_status, outcome=_callback_outcome(outcome),
        latency_ms=int((time.monotonic() - started) * 1000), address=request.META.get("REMOTE_ADDR", ""))
    return response


def _callback_outcome(outcome) -> str:
    if outcome.ok:
        return Outcome.OK
    return Outcome.REFUSED if outcome.outcome == "bad_signature" else Outcome.INVALID


# --- staff ---------------------------------------------------------------------------------------------

def _scope(user):
    return agencies_in_scope(user, actions.VIEW_ROLES)


def _visible(user):
    return actions.visible_to(user)


@staff_required(roles=actions.VIEW_ROLES)
def staff_list_view(request):
    scope = _scope(request.user)
    collecting = (Agency.objects.filter(pk__in=PaymentRequest.objects.values("agency")).filter(pk__in=scope)
                  .order_by("name"))
    form = FilterForm(request.GET or None, agencies=collecting)
    qs = _visible(request.user).select_related("dossier", "agency")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(reference__icontains=data["q"]) | Q(dossier__code__icontains=data["q"]))
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["method"]:
            qs = qs.filter(method=data["method"])
        if data["agency"]:
            qs = qs.filter(agency_id=data["agency"])
        if data["date_from"]:
            qs = qs.filter(created_at__gte=timezone.make_aware(
                datetime.datetime.combine(data["date_from"], datetime.time.min)))
        if data["date_to"]:
            qs = qs.filter(created_at__lt=timezone.make_aware(
                datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time.min)))
    page = Paginator(qs.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "payments/staff_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": has_role(request.user, (Role.CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER))})


def _staff_payment(request, reference) -> PaymentRequest:
    payment = _payment_or_404(reference)
    if not actions.may_view(request.user, payment):
        raise DjangoPermissionDenied("Bạn không có quyền xem yêu cầu thanh toán này.")
    return payment


@staff_required(roles=actions.VIEW_ROLES)
def staff_detail_view(request, reference, forms=None):
    payment = _staff_payment(request, reference)
    forms = forms or {}
    user = request.user
    pending = payment.status in (PaymentStatus.PENDING, PaymentStatus.EXPIRED)
    return render(request, "payments/staff_detail.html", {
        "p": payment, "lines": payment.lines.all(), "gateway_messages": payment.messages.all()[:50],
        "state_label": gateway.STATE_LABELS.get(payment.gateway_status, payment.gateway_status),
        "counter_form": forms.get("counter") or CounterForm(initial={"payer_name": payment.payer_name}),
        "cancel_form": forms.get("cancel") or CancelForm(),
        "refund_form": forms.get("refund") or RefundForm(initial={"amount": payment.refund_amount or payment.amount,
                                                                  "reason": payment.refund_reason}),
        "can_collect": pending and actions.may_collect(user, payment)
        and not payment.dossier.case.online_payment_required,
        "can_cancel": pending and actions.may_cancel(user, payment),
        "can_refund": payment.status == PaymentStatus.PAID and actions.may_refund(user, payment),
        "can_query": payment.started_at is not None,
    })


STAFF_ACTIONS = {"counter": CounterForm, "cancel": CancelForm, "refund": RefundForm, "query": None}


@staff_required(roles=actions.VIEW_ROLES)
@require_POST
def staff_act_view(request, reference, action):
    if action not in STAFF_ACTIONS:
        raise Http404("Không có thao tác này.")
    payment = _staff_payment(request, reference)
    form = STAFF_ACTIONS[action](request.POST) if STAFF_ACTIONS[action] else None
    if form is not None and not form.is_valid():
        messages.error(request, "Dữ liệu chưa hợp lệ; xem các ô được đánh dấu.")
        return staff_detail_view(request, reference, forms={action: form})
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "counter":
            actions.record_counter_payment(acting_user=request.user, payment=payment, receipt_no=data["receipt_no"],
                                           payer_name=data["payer_name"])
            done = "Đã ghi nhận thu tiền tại quầy."
        elif action == "cancel":
            actions.cancel_payment(acting_user=request.user, payment=payment, reason=data["reason"])
            done = "Đã hủy yêu cầu thanh toán."
        elif action == "refund":
            actions.refund_payment(acting_user=request.user, payment=payment, amount=data["amount"],
                                   reason=data["reason"])
            done = "Đã hoàn tiền."
        else:
            outcome = actions.reconcile(payment)
            done = {"paid": "Cổng thanh toán xác nhận đã thanh toán; đã ghi nhận.",
                    "expired": "Cổng thanh toán báo chưa thanh toán; yêu cầu đã hết hạn.",
                    "not_started": "Yêu cầu chưa được gửi đến cổng thanh toán."}.get(
                outcome, "Đã tra cứu trạng thái trên cổng thanh toán.")
    except DomainError as exc:
        if form is not None:
            form.add_error(None, exc.message)
            for err in exc.errors:
                if err.get("field") in form.fields:
                    form.add_error(err["field"], err["message"])
        messages.error(request, exc.message)
        return staff_detail_view(request, reference, forms={action: form} if form is not None else None)
    messages.success(request, done)
    return redirect("payments:staff_detail", reference=payment.reference)


@staff_required(roles=(Role.CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER))
def staff_create_view(request):
    code = (request.POST.get("dossier") or request.GET.get("dossier") or "").strip()
    dossier = Dossier.objects.select_related("case", "procedure").filter(code=code).first() if code else None
    if dossier is not None and not (has_role(request.user, actions.VIEW_ROLES, dossier.receiving_agency)
                                    or has_role(request.user, actions.VIEW_ROLES, dossier.current_agency)):
        dossier = None
    fees = list(Fee.objects.effective().filter(case=dossier.case, amount__gt=0)) if dossier else []
    initial = {"dossier": code}
    if dossier is not None:
        initial.update(moment=dossier.case.fee_payment_moment, version=dossier.version,
                       method="online" if dossier.citizen_id or dossier.case.online_payment_required else "counter",
                       fees=[str(f.pk) for f in fees] if len({f.kind for f in fees}) == len(fees) else [])
    exemptions = list(FeeExemption.for_case(dossier.case, timezone.localdate())) if dossier else []
    form = CreateForm(request.POST if request.method == "POST" else None, fees=fees, exemptions=exemptions,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        if dossier is None:
            form.add_error("dossier", "Không tìm thấy hồ sơ trong phạm vi của bạn.")
        else:
            data = form.cleaned_data
            chosen = [f for f in fees if str(f.pk) in data["fees"]]
            lines = list(chosen)
            if data["line_name"]:
                lines.append({"name": data["line_name"], "kind": data["line_kind"] or "charge",
                              "amount": data["line_amount"]})
            try:
                payment = actions.create_payment_request(
                    acting_user=request.user, dossier=dossier, lines=lines, moment=data["moment"],
                    method=data["method"], note=data["note"], version=data["version"],
                    exemption=next((e for e in exemptions if str(e.pk) == data["exemption"]), None))
            except DomainError as exc:
                form.add_error(None, exc.message)
                for err in exc.errors:
                    if err.get("field") in form.fields:
                        form.add_error(err["field"], err["message"])
            else:
                messages.success(request, f"Đã tạo yêu cầu thanh toán {payment.reference}.")
                return redirect("payments:staff_detail", reference=payment.reference)
    return render(request, "payments/staff_create.html", {"form": form, "dossier": dossier, "code": code})


def _report_agencies(user):
    scope = _scope(user)
    own = user.role_assignments.values("agency")
    return (Agency.objects.filter(pk__in=scope)
            .filter(Q(pk__in=PaymentRequest.objects.values("agency")) | Q(pk__in=own)).order_by("name"))


@staff_required(roles=actions.VIEW_ROLES)
def report_view(request):
    agencies = list(_report_agencies(request.user))
    data = request.POST if request.method == "POST" else request.GET
    form = ReportForm(data or None, agencies=agencies)
    report = None
    if form.is_valid():
        agency = next(a for a in agencies if str(a.pk) == form.cleaned_data["agency"])
        day = form.cleaned_data["day"]
        if request.method == "POST":  # "Đối soát lại với cổng": query the platform for the day's online payments
            from tinhso.payments.report import for_agency

            counts = actions.refresh_gateway_status(
                payments_of_day(for_agency(agency), day).filter(started_at__isnull=False))
            if counts.get("error"):
                messages.error(request, f"Không tra cứu được {counts['error']} giao dịch; cổng thanh toán không "
                                        "phản hồi.")
            else:
                messages.success(request, "Đã đối soát lại với cổng thanh toán.")
            return redirect(f"{reverse('payments:report')}?{urlencode({'agency': agency.pk, 'day': day.isoformat()})}")
        report = build_report(agency, day)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(report_xlsx(report), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            response["Content-Disposition"] = f'attachment; filename="doi-soat-{agency.code}-{day:%Y%m%d}.xlsx"'
            return response
    return render(request, "payments/report.html", {"form": form, "report": report,
                                                    "query": request.GET.urlencode()})
