from django.http import HttpResponse


def evaluate_view(request, code):  # rating form (to be built)
    return HttpResponse("")
