from .catalog import (
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
)
from .collections import LISTABLE_MODELS, CollectionPage, CollectionPin
from .pages import (
    HomePage,
    MicroLecturePage,
    MicroLectureTag,
    NoticePage,
    SectionPage,
    StudyMaterialPage,
    StudyMaterialTag,
)
from .workflows import SectionApprovalTask

__all__ = [
    "LISTABLE_MODELS",
    "CollectionPage",
    "CollectionPin",
    "HomePage",
    "MicroLecturePage",
    "MicroLectureTag",
    "NoticePage",
    "RedPackageBook",
    "RedPackageCatalogPage",
    "RedPackagePage",
    "SectionApprovalTask",
    "SectionPage",
    "StudyMaterialPage",
    "StudyMaterialTag",
]
