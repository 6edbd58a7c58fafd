from tinhso.dossiers.models.choices import (OPEN_STATUSES_LIST, Channel, Digitisation, FileKind, ResultForm, IdType, Outcome,  # noqa: F401
                                            PauseReason,
                                            ResultKind, ReturnMethod, Status)
from tinhso.dossiers.models.dossier import (BookCounter, Dossier, DossierComponent, DossierCounter,  # noqa: F401
                                            DossierFile,
                                            StagedUpload)
from tinhso.dossiers.models.history import DossierEvent, DossierPause, IdempotencyRecord  # noqa: F401
from tinhso.dossiers.models.counter import CounterSlip, PaperTransfer, SlipKind  # noqa: F401,E402
