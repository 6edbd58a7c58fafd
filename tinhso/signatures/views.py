"""/xac-thuc/: anyone holding a result or receipt checks its signatures, by
uploading the PDF or by following the QR link ?ma=<document code> (the
stored copy the system issued is verified). Shows only what the signatures
themselves say; the document's content is never displayed."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.uploads import check_upload
from tinhso.signatures.models import SignedDocument
from tinhso.signatures.service import verify_pdf


def check_pdf_upload(upload):
    checked = check_upload(upload)
    if checked.content_type != "application/pdf":
        message = f"Tệp “{checked.name}” không phải là tệp PDF; chỉ kiểm tra được chữ ký trên tệp PDF."
        raise InvalidInput(message, code="invalid_file", errors=[{"field": "file", "message": message}])
    return checked


@require_http_methods(["GET", "POST"])
def verify_view(request):
    context = {"report": None, "error": None, "document": None, "code": ""}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"], status = "Vui lòng chọn tệp PDF cần kiểm tra.", 422
        else:
            try:
                checked = check_pdf_upload(upload)
                context["report"] = verify_pdf(checked.data)
                context["file_name"] = checked.name
            except InvalidInput as exc:
                context["error"], status = exc.message, 422
    elif request.GET.get("ma"):
        code = request.GET["ma"].strip().upper()[:32]
        context["code"] = code
        doc = SignedDocument.objects.filter(code=code).first()
        if doc is None:
            context["error"], status = f"Không tìm thấy văn bản có mã “{code}” do hệ thống phát hành.", 404
        else:
            context["document"] = doc
            context["report"] = verify_pdf(bytes(doc.pdf))
    return render(request, "signatures/verify.html", context, status=status)
