"""The citizen's satisfaction form (/dvc/ho-so/<code>/danh-gia/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier, Status
from tinhso.evaluations.actions import MAX_COMMENT, criteria_on, submit_evaluation
from tinhso.evaluations.models import OVERALL_CODE, Evaluation, Rating


def _field_name(code: str) -> str:
    return f"c_{code}"


def evaluate_view(request, code):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("identity:login"))
    dossier = Dossier.objects.select_related("procedure").filter(code=code, citizen=request.user).first()
    if dossier is None:  # someone else's dossier looks exactly like a missing one
        return render(request, "evaluations/not_found.html", {"code": code}, status=404)

    evaluation = Evaluation.objects.filter(dossier=dossier).prefetch_related("ratings__criterion").first()
    criteria = [c for c in criteria_on() if c.code != OVERALL_CODE]  # the overall question is asked once
    values = {"overall": "", "comment": ""}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and evaluation is None and dossier.status == Status.RETURNED:
        values = {"overall": request.POST.get("overall", ""), "comment": request.POST.get("comment", "")}
        ratings = {}
        for c in criteria:
            values[_field_name(c.code)] = ratings[c.code] = request.POST.get(_field_name(c.code), "")
        try:
            submit_evaluation(acting_user=request.user, dossier=dossier, overall=values["overall"], ratings=ratings,
                              comment=values["comment"])
        except InvalidInput as exc:
            status = 422
            for error in exc.errors or [{"field": "", "message": exc.message}]:
                name = error.get("field", "")
                if name.startswith("ratings."):
                    name = _field_name(name.split(".", 1)[1])
                    if name == _field_name(OVERALL_CODE):
                        name = "overall"
                errors.setdefault(name if name in values else "", []).append(error["message"])
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá mức độ hài lòng. Ý kiến của bạn giúp cải thiện "
                                        "chất lượng phục vụ."))
            return redirect(request.path)

    questions = [{"name": "overall", "label": _("Mức độ hài lòng chung của bạn đối với việc giải quyết hồ sơ"),
                  "value": values.get("overall", ""), "errors": errors.get("overall", [])}]
    questions += [{"name": _field_name(c.code), "label": c.label, "value": values.get(_field_name(c.code), ""),
                   "errors": errors.get(_field_name(c.code), [])} for c in criteria]
    context = {
        "dossier": dossier, "evaluation": evaluation, "questions": questions, "choices": Rating.choices,
        "comment": values.get("comment", ""), "comment_errors": errors.get("comment", []),
        "other_errors": errors.get("", []), "has_errors": bool(errors), "max_comment": MAX_COMMENT,
        "returned": dossier.status == Status.RETURNED,
        "error_list": [(q["name"], e) for q in questions for e in q["errors"]]
                      + [("comment", e) for e in errors.get("comment", [])],
    }
    return render(request, "evaluations/evaluate.html", context, status=status)
