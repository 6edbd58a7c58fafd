from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhso.notifications.actions import mark_read


@login_required
def index_view(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page})


@login_required
@require_POST
def read_view(request):
    mark_read(acting_user=request.user)
    return redirect("notifications:index")
