"""Directory pages: the public search (/danh-ba/), the staff directory,
requests for mailboxes and certificates, the mailbox list with Excel import,
the certificate register. Thin: each POST calls one action."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role, User
from tinhso.accounts.permissions import agencies_in_scope, has_role
from tinhso.core.errors import DomainError, NotFound
from tinhso.directory import actions, queries, spreadsheets
from tinhso.directory.models import AccountRequest, Mailbox, MailboxState, RequestKind, RequestState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def public_view(request):
    q = request.GET.get("q", "")[:100]
    allowed = queries.public_agencies()
    rows = list(queries.entries(q, allowed)[:50]) if q.strip() else []
    return render(request, "directory/public.html", {
        "q": q, "open": allowed.exists(),
        "rows": [{"e": e, "email": queries.official_email(e)} for e in rows]})


@staff_required()
def index_view(request):
    q = request.GET.get("q", "")[:100]
    page = Paginator(queries.entries(q), 50).get_page(request.GET.get("page"))
    editors = (Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)
    return render(request, "directory/index.html", {
        "q": q, "page": page, "counts": queries.counts_by_agency(),
        "rows": [{"e": e, "email": queries.official_email(e),
                  "editable": e.user_id == request.user.pk or has_role(request.user, editors, e.agency)}
                 for e in page.object_list]})


@require_POST
@staff_required()
def entry_view(request, entry_id):
    try:
        actions.update_entry(entry_id, acting_user=request.user, office_phone=request.POST.get("office_phone", ""),
                             listed=bool(request.POST.get("listed")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật danh bạ."))
    return redirect("directory:index")


@staff_required()
def export_view(request):
    data = spreadsheets.export_directory(request.GET.get("q", "")[:100])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-ba.xlsx"'
    return response


@staff_required()
def requests_view(request):
    user = request.user
    scope = agencies_in_scope(user, (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN))
    qs = AccountRequest.objects.select_related("agency", "person").filter(
        pk__in=AccountRequest.objects.filter(agency__in=scope).values("pk")) | \
        AccountRequest.objects.select_related("agency", "person").filter(person=user)
    if request.method == "POST":
        try:
            req = actions.submit_request(
                acting_user=user, kind=request.POST.get("kind", ""), agency_id=_int(request.POST.get("agency")),
                person_id=_int(request.POST.get("person")), wanted_address=request.POST.get("wanted_address", ""),
                reason=request.POST.get("reason", ""), renews_id=_int(request.POST.get("renews")))
        except DomainError as exc:
            messages.error(request, exc.message)
            for e in exc.errors:
                messages.error(request, e["message"])
        else:
            messages.success(request, _("Đã gửi đề nghị; lãnh đạo cơ quan sẽ duyệt."))
            return redirect("directory:request", request_id=req.pk)
    return render(request, "directory/requests.html", {
        "requests": qs.distinct().order_by("-created_at")[:200], "kinds": RequestKind.choices,
        "office_agencies": agencies_in_scope(user, (Role.CLERICAL_OFFICE,)).order_by("path"),
        "people": User.objects.filter(is_active=True, is_citizen=False, directory_entry__agency__in=agencies_in_scope(
            user, (Role.CLERICAL_OFFICE,))).order_by("full_name")})


@staff_required()
def request_view(request, request_id):
    req = AccountRequest.objects.select_related("agency", "person", "credential", "mailbox").filter(pk=request_id).first()
    if req is None or not (req.person_id == request.user.pk or req.requested_by_id == request.user.pk or has_role(
            request.user, (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN), req.agency)):
        raise NotFound("Không có đề nghị này.")
    if request.method == "POST":
        step = request.POST.get("step", "")
        note = request.POST.get("note", "")
        try:
            if step == "approve":
                actions.approve(req.pk, acting_user=request.user, note=note)
            elif step == "reject":
                actions.reject(req.pk, acting_user=request.user, note=note)
            elif step == "process":
                actions.start_processing(req.pk, acting_user=request.user)
            elif step == "issue":
                actions.issue(req.pk, acting_user=request.user, fingerprint=request.POST.get("fingerprint", ""))
            else:
                messages.error(request, _("Thao tác không hợp lệ."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã cập nhật đề nghị."))
        return redirect("directory:request", request_id=req.pk)
    user = request.user
    return render(request, "directory/request.html", {
        "req": req, "events": req.events.select_related("actor"), "S": RequestState,
        "can_approve": has_role(user, actions.APPROVER_ROLES, req.agency),
        "can_process": has_role(user, actions.IT_ROLES)})


@staff_required((Role.SYSTEM_ADMIN,))
def mailboxes_view(request):
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chọn tệp Excel cần nhập."))
        else:
            try:
                count = spreadsheets.import_mailboxes(upload.read(), acting_user=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
                errors = exc.errors
            else:
                messages.success(request, _("Đã nhập %(n)s hộp thư.") % {"n": count})
                return redirect("directory:mailboxes")
    q = request.GET.get("q", "").strip()[:100]
    qs = Mailbox.objects.select_related("agency", "user")
    if q:
        qs = qs.filter(address__icontains=q)
    return render(request, "directory/mailboxes.html", {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")), "q": q, "errors": errors,
        "states": MailboxState.choices}, status=422 if errors else 200)


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def mailbox_state_view(request, mailbox_id):
    try:
        actions.set_mailbox_state(mailbox_id, acting_user=request.user, state=request.POST.get("state", ""),
                                  reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đổi trạng thái hộp thư."))
    return redirect("directory:mailboxes")


@staff_required((Role.SYSTEM_ADMIN,))
def import_template_view(request):
    response = HttpResponse(spreadsheets.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-hop-thu.xlsx"'
    return response


@staff_required((Role.SYSTEM_ADMIN, Role.AUDITOR, Role.LEADER))
def certificates_view(request):
    agencies = None if has_role(request.user, (Role.SYSTEM_ADMIN, Role.AUDITOR)) else \
        agencies_in_scope(request.user, (Role.LEADER,))
    rows = [{"c": c, "state": queries.certificate_state(c)} for c in queries.certificate_register(agencies)[:500]]
    return render(request, "directory/certificates.html", {"rows": rows,
                                                            "is_admin": has_role(request.user, Role.SYSTEM_ADMIN)})


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def certificate_action_view(request, credential_id):
    step, reason = request.POST.get("step", ""), request.POST.get("reason", "")
    fn = {"suspend": actions.suspend_certificate, "resume": actions.resume_certificate,
          "revoke": actions.revoke_certificate}.get(step)
    try:
        if fn is None:
            raise NotFound("Thao tác không hợp lệ.")
        fn(credential_id, acting_user=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật chứng thư số."))
    return redirect("directory:certificates")
