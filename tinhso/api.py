"""The JSON API at /api/v1/. Each app contributes a router from its api.py."""

from ninja import NinjaAPI
from ninja.security import django_auth

from tinhso.catalogue.api import router as catalogue_router
from tinhso.dashboard.api import router as dashboard_router
from tinhso.serviceindex.api import router as serviceindex_router
from tinhso.dashboard.programme_api import router as programme_router
from tinhso.reports.api import router as reports_router
from tinhso.core.api import install_error_handlers
from tinhso.dossiers.api import router as dossiers_router
from tinhso.units.api import router as units_router
from tinhso.workcalendar.api import router as calendar_router
from tinhso.agencies.api import router as agencies_router
from tinhso.signatures.api import router as verify_router
from tinhso.core.health import router as health_router
from tinhso.dossiers.public_api import router as public_router
from tinhso.accounts.api import router as staff_router
from tinhso.backoffice.api import router as audit_router
from tinhso.notifications.api import router as notifications_router
from tinhso.policies.api import router as policies_router
from tinhso.payments.api import router as payments_router
from tinhso.datastore.api import router as datastore_router
from tinhso.evaluations.api import router as evaluations_router
from tinhso.receipts.api import router as receipts_router
from tinhso.portal.api import router as me_router
from tinhso.fieldreports.api import router as fieldreports_router
from tinhso.officialdocs.api import router as documents_router
from tinhso.integration.api import router as integration_router
from tinhso.directory.api import router as directory_router
from tinhso.secwatch.api import router as secwatch_router
from tinhso.meetings.api import router as meetings_router
from tinhso.digitalteams.api import router as digitalteams_router
from tinhso.addresses.api import router as addresses_router
from tinhso.farmproducts.api import router as farmproducts_router
from tinhso.citizenapp.api import router as citizenapp_router
from tinhso.schedules.api import router as schedules_router
from tinhso.marketprices.api import router as marketprices_router
from tinhso.news.api import router as news_router
from tinhso.questions.api import router as questions_router

api = NinjaAPI(
    title="Tỉnh Số API",
    version="1",
    description="API của nền tảng chính quyền số Tỉnh Số. Lỗi trả về JSON với `code` ổn định và `message` tiếng Việt.",
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/units", units_router)
api.add_router("/agencies", agencies_router)
api.add_router("/calendar", calendar_router)
api.add_router("/procedures", catalogue_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/verify", verify_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/dashboard", serviceindex_router)
api.add_router("/dashboard", programme_router)
api.add_router("/reports", reports_router)
api.add_router("/health", health_router)
api.add_router("/public", public_router)
api.add_router("/staff", staff_router)
api.add_router("/audit", audit_router)
api.add_router("/notifications", notifications_router)
api.add_router("/policies", policies_router)
api.add_router("/payments", payments_router)
api.add_router("/datastore", datastore_router)
api.add_router("/evaluations", evaluations_router)
api.add_router("/receipts", receipts_router)
api.add_router("/me", me_router)
api.add_router("/field-reports", fieldreports_router)
api.add_router("/documents", documents_router)
api.add_router("/integration", integration_router)
api.add_router("/directory", directory_router)
api.add_router("/security", secwatch_router)
api.add_router("/meetings", meetings_router)
api.add_router("/digital-teams", digitalteams_router)
api.add_router("/addresses", addresses_router)
api.add_router("/farm-products", farmproducts_router)
api.add_router("/app", citizenapp_router)
api.add_router("/schedules", schedules_router)
api.add_router("/market-prices", marketprices_router)
api.add_router("/news", news_router)
api.add_router("/questions", questions_router)

__all__ = ["api", "django_auth"]
