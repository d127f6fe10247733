"""Videos in the Wagtail admin: upload, processing state, and the chooser the micro-lecture
editor uses. Every list and every choice is scoped to the organisations whose sections the user
edits or reviews (``selectors.video_organizations_for``).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.images.components import ImageDisplay
from wagtail.log_actions import log

from portal.registry.components import EMPTY, YesNoColumn
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin
from portal.video import services as video_services
from portal.video.forms import VideoEditForm, VideoUploadForm
from portal.video.models import Video
from portal.video.selectors import videos_visible_to


def duration_display(video: Video) -> str:
    if video.duration is None:
        return ""
    minutes, seconds = divmod(round(video.duration), 60)
    return f"{minutes}:{seconds:02d}"


def status_display(video: Video) -> str:
    if video.status == Video.Status.PROCESSING:
        return f"{video.get_status_display()} {video.progress}%"
    return video.get_status_display()


class ScopedVideoQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return videos_visible_to(self.request.user).select_related("organization")


class VideoIndexView(ScopedVideoQuerysetMixin, generic.IndexView):
    pass


class VideoCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        video = video_services.video_upload(
            title=data["title"],
            file=data["file"],
            organization=data["organization"],
            uploaded_by=self.request.user,
        )
        log(instance=video, action="wagtail.create", user=self.request.user)
        return video

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            # The file's content is checked by the service, after the form's own checks.
            form.add_error(None, exc)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class VideoEditView(ScopedVideoQuerysetMixin, generic.EditView):
    pass


class VideoInspectView(ScopedVideoQuerysetMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset().select_related("poster"), pk=self.pk)

    def get_poster_display_value(self):
        """The poster frame's preview, linked to the frame itself; until processing made
        one, a sentence saying so instead of an empty space."""
        poster = self.object.poster
        if poster is None:
            return _("No poster frame yet.") if not self.object.is_ready else EMPTY
        preview = ImageDisplay(poster).render_html({})
        return format_html('<a href="{}" data-poster>{}</a>', poster.file.url, preview)


class VideoDeleteView(ScopedVideoQuerysetMixin, generic.DeleteView):
    pass


class VideoViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedVideoQuerysetMixin
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "videos"
    index_view_class = VideoIndexView
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
    inspect_view_class = VideoInspectView
    delete_view_class = VideoDeleteView
    inspect_view_enabled = True
    search_fields = ["title"]
    search_backend_name = None
    list_filter = ["status", "organization", "plays_on_phones"]
    list_display = [
        TitleColumn("title", label=_("title"), url_name="portal_video:inspect"),
        Column("organization", label=_("organisation")),
        Column("status", label=_("status"), accessor=status_display),
        Column("duration", label=_("duration"), accessor=duration_display),
        YesNoColumn("plays_on_phones", label=_("plays on phones")),
        Column("error", label=_("error")),
        DateColumn("uploaded_at", label=_("uploaded at")),
    ]
    inspect_view_fields = [
        "title",
        "organization",
        "status",
        "progress",
        "error",
        "duration",
        "width",
        "height",
        "container",
        "video_codec",
        "audio_codec",
        "plays_on_phones",
        "size",
        "file",
        "phone_file",
        "phone_size",
        "poster",
        "uploaded_by",
        "uploaded_at",
    ]

    def get_form_class(self, for_update=False):
        return VideoEditForm if for_update else VideoUploadForm


# --- The chooser the micro-lecture editor opens ---------------------------------------


class ReadyVideosMixin:
    """Only ready videos of the user's organisations can be put on a page."""

    def get_object_list(self):
        return videos_visible_to(self.request.user).filter(status=Video.Status.READY)


class VideoChooseView(ReadyVideosMixin, chooser_views.ChooseView):
    pass


class VideoChooseResultsView(ReadyVideosMixin, chooser_views.ChooseResultsView):
    pass


class VideoChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return videos_visible_to(self.request.user).get(pk=pk)


class VideoChooserViewSet(ChooserViewSet):
    model = Video
    icon = "media"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    chosen_view_class = VideoChosenView
