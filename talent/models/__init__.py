"""The talent pool's models: the pool itself (``profiles``) and what recruiters keep of it
(``shortlists``). Import them from here."""

from django.utils.translation import gettext_lazy as _

from portal.ledger.models import job_kind_register

from .profiles import (
    GRADE_ORDER,
    VILLAGE_LEVELS,
    BaseSearch,
    CommitteeRole,
    Education,
    Industry,
    NegativeListEntry,
    TalentProfile,
    TalentProfileQuerySet,
    TalentSkill,
    Willingness,
    township_of,
)
from .shortlists import SavedSearch, Shortlist, ShortlistEntry

# The talent pool's background jobs, declared to portal's job list (portal never names them).
JOB_KIND_IMPORT = job_kind_register("talent_import", _("Talent pool import"))
JOB_KIND_EXPORT = job_kind_register("talent_export", _("Talent pool export"))

__all__ = [
    "GRADE_ORDER",
    "JOB_KIND_EXPORT",
    "JOB_KIND_IMPORT",
    "VILLAGE_LEVELS",
    "BaseSearch",
    "CommitteeRole",
    "Education",
    "Industry",
    "NegativeListEntry",
    "SavedSearch",
    "Shortlist",
    "ShortlistEntry",
    "TalentProfile",
    "TalentProfileQuerySet",
    "TalentSkill",
    "Willingness",
    "township_of",
]
