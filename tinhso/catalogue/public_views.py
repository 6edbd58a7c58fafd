from django.http import HttpResponse


def catalogue_view(request):  # public catalogue (to be built)
    return HttpResponse("")


def procedure_view(request, code):
    return HttpResponse("")
