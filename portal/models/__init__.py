from .accounts import ActivationCode, Role, RoleAssignment, User
from .catalog import RedPackageBook, RedPackageCatalogPage, RedPackagePage
from .collections import CollectionPage
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

__all__ = [
    "ActivationCode",
    "CollectionPage",
    "HomePage",
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
    "Role",
    "RoleAssignment",
    "SectionPage",
    "StudyMaterialPage",
    "StudyMaterialTag",
    "User",
    "Video",
]
