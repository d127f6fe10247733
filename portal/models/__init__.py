from portal.cards.models import ActivityCertificate, ContactActivity, ContactCard
from portal.care.models import CareCase, CareVisit, Liaison, Talk, Transfer, TransferStep
from portal.content.models import (
    CollectionPage,
    CollectionPin,
    HomePage,
    MicroLecturePage,
    MicroLectureTag,
    NoticePage,
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
    SectionApprovalTask,
    SectionPage,
    StudyMaterialPage,
    StudyMaterialTag,
)
from portal.inbox.models import Notification
from portal.ledger.models import Job
from portal.meetings.models import Meeting, MeetingAttachment, MeetingAttendance
from portal.parcels.models import RedPackageRequest, RedPackageStock, StockMovement
from portal.registry.models import (
    ActivationCode,
    Member,
    Organization,
    Pairing,
    Role,
    RoleAssignment,
    User,
)
from portal.rules.models import Rule, RuleExclusion, RuleExecution
from portal.video.models import Video
from portal.whereabouts.models import LostContact, WhereaboutsReport

__all__ = [
    "ActivationCode",
    "ActivityCertificate",
    "CareCase",
    "CareVisit",
    "CollectionPage",
    "CollectionPin",
    "ContactActivity",
    "ContactCard",
    "HomePage",
    "Job",
    "Liaison",
    "LostContact",
    "Meeting",
    "MeetingAttachment",
    "MeetingAttendance",
    "Member",
    "MicroLecturePage",
    "MicroLectureTag",
    "NoticePage",
    "Notification",
    "Organization",
    "Pairing",
    "RedPackageBook",
    "RedPackageCatalogPage",
    "RedPackagePage",
    "RedPackageRequest",
    "RedPackageStock",
    "Role",
    "Rule",
    "RuleExclusion",
    "RuleExecution",
    "RoleAssignment",
    "SectionApprovalTask",
    "SectionPage",
    "StockMovement",
    "StudyMaterialPage",
    "StudyMaterialTag",
    "Talk",
    "Transfer",
    "TransferStep",
    "User",
    "Video",
    "WhereaboutsReport",
]
