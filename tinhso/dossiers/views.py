from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


inbox_view = receive_view = book_view = detail_view = act_view = form_pdf_view = file_view = _todo
