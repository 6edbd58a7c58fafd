from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from tinhso.accounts.views import admin_login_view
from tinhso.api import api
from tinhso.dossiers.views import lookup_view
from tinhso.integration import oauth as integration_oauth

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tinhso.accounts.urls")),
    path("units/", include("tinhso.units.urls")),
    path("agencies/", include("tinhso.agencies.urls")),
    path("calendar/", include("tinhso.workcalendar.urls")),
    path("catalogue/", include("tinhso.catalogue.urls")),
    path("dossiers/", include("tinhso.dossiers.urls")),
    path("dashboard/", include("tinhso.dashboard.urls")),
    path("chi-so-766/", include("tinhso.serviceindex.urls")),
    path("bao-cao/", include("tinhso.reports.urls")),
    path("notifications/", include("tinhso.notifications.urls")),
    path("policies/", include("tinhso.policies.urls")),
    path("tra-cuu/", lookup_view, name="lookup"),
    path("dvc/", include("tinhso.portal.urls")),
    path("phan-anh/", include("tinhso.fieldreports.urls")),
    path("open311/v2/", include("tinhso.fieldreports.open311.urls")),
    path("tich-hop/", include("tinhso.integration.urls")),
    path("oauth/token", integration_oauth.token_view, name="oauth-token"),
    path(".well-known/oauth-authorization-server", integration_oauth.metadata_view, name="oauth-metadata"),
    path("van-ban/", include("tinhso.officialdocs.urls")),
    path("dinh-danh/", include("tinhso.identity.urls")),
    path("sandbox/idp/", include("tinhso.identity.sandbox_urls")),
    path("thanh-toan/", include("tinhso.payments.urls")),
    path("sandbox/paygov/", include("tinhso.payments.sandbox_urls")),
    path("sandbox/axis/", include("tinhso.officialdocs.sandbox")),
    path("sandbox/national/", include("tinhso.registries.sandbox")),
    path("dong-bo-dvcqg/", include("tinhso.nationalportal.urls")),
    path("sandbox/dvcqg/", include("tinhso.nationalportal.sandbox")),
    path("buu-chinh/", include("tinhso.postal.urls")),
    path("hop-truc-tuyen/", include("tinhso.meetings.urls")),
    path("to-cong-nghe-so/", include("tinhso.digitalteams.urls")),
    path("sandbox/postal/", include("tinhso.postal.sandbox")),
    path("app/", include("tinhso.citizenapp.urls")),
    path("sandbox/weather/", include("tinhso.citizenapp.sandbox")),
    path("sandbox/", include("tinhso.signatures.sandbox_urls")),
    path("xac-thuc/", include("tinhso.signatures.urls")),
    path("danh-ba/", include("tinhso.directory.urls")),
    path("an-ninh/", include("tinhso.secwatch.urls")),
    path("dia-chi/", include("tinhso.addresses.urls")),
    path("nong-san/", include("tinhso.farmproducts.urls")),
    path("truy-xuat/", include("tinhso.farmproducts.public_urls")),
    path("lich-cong-tac/", include("tinhso.schedules.urls")),
    path("gia-ca/", include("tinhso.marketprices.urls")),
    path("tin-tuc/", include("tinhso.news.urls")),
    path("hoi-dap/", include("tinhso.questions.urls")),
    # The Django admin signs in through the staff sign-in (two factors, failed-attempt limit).
    path("django-admin/login/", admin_login_view),
    path("django-admin/", admin.site.urls),
    path("", include("tinhso.backoffice.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
