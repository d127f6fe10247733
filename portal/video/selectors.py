"""What reads videos for a view: the publishing organisations a user works for, and who may
read a video file or a poster frame (``media_file_readable``, asked by ``serving``)."""

from django.db.models import Q, QuerySet
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from portal.content.models import MicroLecturePage
from portal.content.selectors import page_serves_to
from portal.registry.models import Organization, Role, RoleAssignment
from portal.video.models import Video

# Uploads under MEDIA_ROOT that ``/media/`` never serves: documents go through Wagtail's
# document view (collection privacy), job files through the job's own download view.
NEVER_SERVED_FOLDERS = ("documents", "jobs")
VIDEO_FOLDER = "videos"
ORIGINAL_IMAGES_FOLDER = "original_images"
RENDITIONS_FOLDER = "images"
CHECKED_FOLDERS = (VIDEO_FOLDER, ORIGINAL_IMAGES_FOLDER, RENDITIONS_FOLDER)


def video_organizations_for(user) -> QuerySet[Organization]:
    """Publishing organisations whose videos the user sees, uploads and chooses: those whose
    section they edit or review; the county's reviewers, every one (as in publishing).
    """
    published = Organization.objects.filter(section__isnull=False)
    if not user.is_authenticated or not user.is_active:
        return published.none()
    if user.is_superuser:
        return published
    held = RoleAssignment.objects.filter(user=user, role__in=[Role.EDITOR, Role.REVIEWER])
    if held.filter(role=Role.REVIEWER, organization__depth=1).exists():
        return published
    return published.filter(pk__in=held.values("organization_id"))


def videos_visible_to(user) -> QuerySet[Video]:
    return Video.objects.filter(organization__in=video_organizations_for(user))


def video_readable(request, video: Video) -> bool:
    """Who may play a video: whoever Wagtail would serve a live page using it (its privacy:
    login, groups, password), the admin users who see it in the admin, and the member who
    submitted it. A video no live page uses is nobody else's, whatever its URL."""
    user = request.user
    if user.is_authenticated and user.is_active and _video_is_users(user, video):
        return True
    pages = MicroLecturePage.objects.live().filter(video=video)
    return any(page_serves_to(request, page) for page in pages)


def _video_is_users(user, video: Video) -> bool:
    if user.is_superuser or video.uploaded_by_id == user.pk:
        return True
    if MicroLecturePage.objects.filter(video=video, submitted_by__user=user).exists():
        return True
    return videos_visible_to(user).filter(pk=video.pk).exists()


def image_readable(request, image) -> bool:
    """A poster frame (a video's, or the one an editor chose for a micro-lecture) is read by
    who may play the video or open a live lecture showing it, and by the admin users whose
    collections hold it. Any other image is public, as Wagtail's images are."""
    videos = list(Video.objects.filter(poster=image))
    lectures = MicroLecturePage.objects.filter(poster=image)
    if not videos and not lectures.exists():
        return True
    if any(video_readable(request, video) for video in videos):
        return True
    if any(page_serves_to(request, page) for page in lectures.live()):
        return True
    user = request.user
    policy = policy_registry.get_by_type(get_image_model())
    return user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], image
    )


def media_file_readable(request, name: str) -> bool:
    """Whether ``request`` may read the upload stored as ``name`` (relative to MEDIA_ROOT).

    Videos, original images and renditions are read only as their record allows, and a file
    no record owns is nobody's; documents and job files never; anything else, as before.
    """
    folder = name.split("/", 1)[0]
    if folder in NEVER_SERVED_FOLDERS:
        return False
    if folder == VIDEO_FOLDER:
        # The original or its phone rendition (under videos/phone/): read as the video allows.
        video = Video.objects.filter(Q(file=name) | Q(phone_file=name)).first()
        return video is not None and video_readable(request, video)
    image_model = get_image_model()
    if folder == ORIGINAL_IMAGES_FOLDER:
        image = image_model.objects.filter(file=name).first()
        return image is not None and image_readable(request, image)
    if folder == RENDITIONS_FOLDER:
        renditions = image_model.get_rendition_model().objects.select_related("image")
        rendition = renditions.filter(file=name).first()
        return rendition is not None and image_readable(request, rendition.image)
    return True
