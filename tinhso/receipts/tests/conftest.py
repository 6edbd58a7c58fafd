from tinhso.dossiers.tests.conftest import world  # noqa: F401
from tinhso.signatures.tests.conftest import pki_dir, tsa_adapter  # noqa: F401
