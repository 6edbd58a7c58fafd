from tinhso.dashboard.tests.conftest import data  # noqa: F401  (the hand-computed province-year 2025)
from tinhso.dossiers.tests.conftest import world  # noqa: F401
