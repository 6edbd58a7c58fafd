"""Citizen pages (ask, my questions), public pages (published Q&A, no
asker's name) and the staff inbox (answer, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import agencies_in_scope
from tinhso.core.errors import DomainError
from tinhso.portal.views import citizen_required
from tinhso.questions import actions, forms
from tinhso.questions.models import Question

ROLES = actions.ROLES


def _apply(form, exc: DomainError):
    for error in exc.errors or [{"field": None, "message": exc.message}]:
        form.add_error(error["field"] if error.get("field") in form.fields else None, error["message"])


def public_list_view(request):
    qs = actions.published()
    agency = (request.GET.get("co-quan") or "").replace("\x00", "")[:40]
    if agency:
        qs = qs.filter(agency__code=agency)
    page = Paginator(qs, 20).get_page(request.GET.get("trang"))
    return render(request, "questions/public_list.html", {"page": page})


def public_detail_view(request, pk):
    question = actions.published().filter(pk=pk).first()
    if question is None:
        raise Http404(_("Không có câu hỏi công khai này."))
    return render(request, "questions/public_detail.html", {"question": question})


@citizen_required
def ask_view(request):
    form = forms.AskForm(request.POST or None, agencies=actions.askable_agencies())
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.ask_question(acting_user=request.user, agency_id=form.cleaned_data["agency"],
                                            title=form.cleaned_data["title"], body=form.cleaned_data["body"])
            messages.success(request, _("Đã gửi câu hỏi. Bạn sẽ nhận được thông báo khi có câu trả lời."))
            return redirect("questions:mine_detail", pk=question.pk)
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "questions/ask.html", {"form": form}, status=422 if form.errors else 200)


@citizen_required
def mine_view(request):
    return render(request, "questions/mine.html", {
        "questions": Question.objects.filter(asker=request.user).select_related("agency")[:200]})


@citizen_required
def mine_detail_view(request, pk):
    question = get_object_or_404(Question.objects.select_related("agency"), pk=pk, asker=request.user)
    return render(request, "questions/mine_detail.html", {"question": question})


@staff_required(ROLES)
def inbox_view(request):
    qs = Question.objects.filter(agency__in=agencies_in_scope(request.user, ROLES)).select_related("agency")
    status = request.GET.get("trang-thai") or "waiting"
    if status in ("waiting", "answered"):
        qs = qs.filter(status=status)
    return render(request, "questions/inbox.html", {"questions": qs.order_by("created_at")[:300], "status": status})


def _staff_question(request, pk) -> Question:
    return get_object_or_404(Question.objects.select_related("agency"), pk=pk,
                             agency__in=agencies_in_scope(request.user, ROLES))


@staff_required(ROLES)
def answer_view(request, pk):
    question = _staff_question(request, pk)
    form = forms.AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_question(acting_user=request.user, question_id=question.pk,
                                    answer=form.cleaned_data["answer"])
            messages.success(request, _("Đã gửi câu trả lời."))
            return redirect("questions:answer", pk=question.pk)
        except DomainError as exc:
            _apply(form, exc)
    return render(request, "questions/answer.html", {"question": question, "form": form},
                  status=422 if form.errors else 200)


@require_POST
@staff_required(ROLES)
def publish_view(request, pk):
    question = _staff_question(request, pk)
    try:
        actions.set_published(acting_user=request.user, question_id=question.pk,
                              published=request.POST.get("publish") == "1")
        messages.success(request, _("Đã cập nhật công khai."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("questions:answer", pk=question.pk)
