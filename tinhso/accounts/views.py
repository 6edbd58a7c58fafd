import math
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts import actions, signin
from tinhso.accounts.decorators import staff_required
from tinhso.accounts.forms import LoginForm, OTPForm, RoleAssignForm, StaffCreateForm, TwoFactorRuleForm
from tinhso.accounts.models import Role, RoleAssignment, SignInThrottle, TwoFactorRule, User
from tinhso.core.errors import DomainError

PENDING_KEY = "tinhso_2fa_pending"
PENDING_TTL = 300


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _locked_message(until) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _("Đăng nhập tạm bị khóa do nhập sai nhiều lần. Vui lòng thử lại sau %(minutes)s phút "
             "hoặc liên hệ quản trị hệ thống.") % {"minutes": minutes}


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username, address = request.POST.get("username", ""), signin.client_address(request)
        until = signin.locked_until(username, address)
        if until:
            form = LoginForm(request)
            form.initial["username"] = username[:150]
            messages.error(request, _locked_message(until))
            return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=429)
        if not form.is_valid():
            if form.has_error("__all__", "invalid_login"):
                until = signin.record_failure(username, address)
                if until:
                    messages.error(request, _locked_message(until))
            return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})
        user = form.user
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": _next_url(request)}
            return redirect("accounts:login_otp")
        signin.record_success(user.username)
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
    address = signin.client_address(request)
    if request.method == "POST":
        until = signin.locked_until(user.username, address)
        if until:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _locked_message(until))
            return redirect("accounts:login")
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is None:
            until = signin.record_failure(user.username, address, stage="otp")
            if until:
                request.session.pop(PENDING_KEY, None)
                messages.error(request, _locked_message(until))
                return redirect("accounts:login")
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        else:
            signin.record_success(user.username)
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(pending.get("next") or "/")
    return render(request, "accounts/login_otp.html", {"form": form})


def admin_login_view(request):
    """The Django admin's sign-in page goes through the staff sign-in."""
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': _next_url(request) if request.GET.get('next') else '/django-admin/'})}")


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
            if request.POST.get("op") == "unlock":
                actions.unlock_sign_in(acting_user=request.user, user=staff)
                messages.success(request, _("Đã mở khóa đăng nhập."))
                return redirect("accounts:staff_detail", pk=pk)
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
    lock = SignInThrottle.objects.filter(scope=SignInThrottle.Scope.ACCOUNT, key=signin.normalise(staff.username),
                                         locked_until__gt=timezone.now()).first()
    return render(request, "accounts/staff_detail.html", {"staff": staff, "form": form, "assignments": assignments,
                                                          "lock": lock})


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def two_factor_rules_view(request):
    """Which roles must sign in with two factors, now and as scheduled."""
    form = TwoFactorRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_two_factor_rule(acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu quy định xác thực hai bước."))
            return redirect("accounts:two_factor_rules")
        except DomainError as exc:
            form.add_error(None, exc.message)
    required_now = signin.roles_requiring_two_factor()
    roles = [{"value": value, "label": label, "required": value in required_now} for value, label in Role.choices]
    rules = TwoFactorRule.objects.select_related("changed_by")
    return render(request, "accounts/two_factor_rules.html", {
        "form": form, "roles": roles, "rules": rules, "require_all": settings.TINHSO_REQUIRE_2FA})
