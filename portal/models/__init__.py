from .accounts import ActivationCode, Role, RoleAssignment, User
from .cards import ActivityCertificate, ContactActivity, ContactCard
from .care import CareCase, CareVisit, Liaison, Talk, Transfer, TransferStep
from .catalog import RedPackageBook, RedPackageCatalogPage, RedPackagePage
from .collections import CollectionPage
from .jobs import Job
from .media import Video
from .members import Member
from .notifications import Notification
from .organizations import Organization, Pairing
from .pages import (
    HomePage,
    MicroLecturePage,
    MicroLectureTag,
    NoticePage,
    SectionPage,
    StudyMaterialPage,
    StudyMaterialTag,
)
from .parcels import RedPackageRequest, RedPackageStock, StockMovement
from .whereabouts import LostContact, WhereaboutsReport

__all__ = [
    "ActivationCode",
    "ActivityCertificate",
    "CareCase",
    "CareVisit",
    "CollectionPage",
    "ContactActivity",
    "ContactCard",
    "HomePage",
    "Job",
    "Liaison",
    "LostContact",
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
    "RoleAssignment",
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
