import time

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts import actions
from tinhso.accounts.decorators import staff_required
from tinhso.accounts.forms import LoginForm, OTPForm, RoleAssignForm, StaffCreateForm
from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.core.errors import DomainError

PENDING_KEY = "tinhso_2fa_pending"
PENDING_TTL = 300


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": _next_url(request)}
            return redirect("accounts:login_otp")
        login(request, user)
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def login_otp_view(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_TTL:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."))
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is None:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        else:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(pending.get("next") or "/")
    return render(request, "accounts/login_otp.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def security_view(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = OTPForm(request.POST or None)
    op = request.POST.get("op")
    if request.method == "POST":
        try:
            if op == "start":
                actions.start_totp_enrolment(acting_user=user)
                return redirect("accounts:security")
            if op == "confirm" and pending and form.is_valid():
                actions.confirm_totp(acting_user=user, device=pending, token=form.cleaned_data["token"])
                messages.success(request, _("Đã bật xác thực hai bước."))
                return redirect("accounts:security")
            if op == "disable" and form.is_valid():
                actions.disable_totp(acting_user=user, token=form.cleaned_data["token"])
                messages.success(request, _("Đã tắt xác thực hai bước."))
                return redirect("accounts:security")
        except DomainError as exc:
            form.add_error("token", exc.message)
    qr_svg = None
    if pending:
        qr_svg = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    roles = RoleAssignment.objects.active().filter(user=user).select_related("agency")
    return render(request, "accounts/security.html", {
        "confirmed": confirmed, "pending": pending, "qr_svg": qr_svg, "form": form, "roles": roles,
        "secret": pending and __import__("base64").b32encode(pending.bin_key).decode(),
    })


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def staff_list_view(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.create_staff(acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": user})
            return redirect("accounts:staff_detail", pk=user.pk)
        except DomainError as exc:
            form.add_error("username", exc.message)
    users = (User.objects.order_by("username")
             .prefetch_related("role_assignments__agency"))
    return render(request, "accounts/staff_list.html", {"users": users, "form": form})


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def staff_detail_view(request, pk):
    staff = get_object_or_404(User, pk=pk)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "revoke":
                assignment = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment"), user=staff)
                actions.revoke_role(acting_user=request.user, assignment=assignment)
                messages.success(request, _("Đã thu hồi vai trò."))
                return redirect("accounts:staff_detail", pk=pk)
            if form.is_valid():
                actions.assign_role(acting_user=request.user, user=staff, **form.cleaned_data)
                messages.success(request, _("Đã giao vai trò."))
                return redirect("accounts:staff_detail", pk=pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
    assignments = staff.role_assignments.select_related("agency")
    return render(request, "accounts/staff_detail.html", {"staff": staff, "form": form, "assignments": assignments})
