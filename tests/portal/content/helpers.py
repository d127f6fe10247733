"""Helpers that publish realistic CMS content for the page, collection and tag tests."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction

from portal.models import StudyMaterialPage, Video


def publish(parent, page, *, tags=(), private: bool = False, published_at=None):
    """Add ``page`` under ``parent``, publish it, and set its privacy explicitly.

    ``private`` puts it behind the login (members only, the site's default for study content);
    ``published_at`` backdates when it was first published.
    """
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    PageViewRestriction.objects.filter(page=page).delete()
    if private:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    if published_at is not None:
        Page.objects.filter(pk=page.pk).update(first_published_at=published_at)
        page.first_published_at = published_at
    return page


def draft(parent, page, *, tags=()):
    """Add ``page`` under ``parent`` as a draft that was never published."""
    page.live = False
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision()
    return page


def material(title: str, **fields) -> StudyMaterialPage:
    fields.setdefault("summary", f"{title}的学习要点。")
    fields.setdefault("body", [("paragraph", f"<p>{title}正文。</p>")])
    return StudyMaterialPage(title=title, **fields)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def sample_image(title: str = "学习配图") -> Image:
    return Image.objects.create(
        title=title, file=get_test_image_file(colour="#a8161b", size=(1280, 720))
    )


def sample_document(title: str = "党章全文") -> Document:
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4\n%%EOF\n", "d.pdf"))


def ready_video(organization, *, poster=None, duration: float = 125.4) -> Video:
    """A video as processing leaves it: ready, H.264/AAC in MP4, with its duration."""
    return Video.objects.create(
        title="微党课视频",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", "lecture.mp4"),
        organization=organization,
        status=Video.Status.READY,
        progress=100,
        duration=duration,
        width=1280,
        height=720,
        container="mp4",
        video_codec="h264",
        audio_codec="aac",
        plays_on_phones=True,
        poster=poster,
    )
