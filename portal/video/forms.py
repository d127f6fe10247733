"""Forms that take a video: the editor's upload in the admin and the member's on the phone.

The file's type and size are checked by the services (``video_services.video_file_check``)
from its content; the forms only shape the input.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.video.models import Video
from portal.video.selectors import video_organizations_for

ACCEPTED = "video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov"


def _file_help() -> str:
    return _("An MP4, WebM or MOV video of at most %(limit)s MB.") % {
        "limit": settings.VIDEO_MAX_UPLOAD_MB
    }


class VideoUploadForm(WagtailAdminModelForm):
    class Meta:
        model = Video
        fields = ["title", "organization", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": ACCEPTED})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["organization"].queryset = video_organizations_for(for_user)
        self.fields["file"].help_text = _file_help()


class VideoEditForm(WagtailAdminModelForm):
    """A video's file never changes: a new file is a new upload, so pages keep theirs."""

    class Meta:
        model = Video
        fields = ["title"]


class LectureSubmitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # capture="user": phones offer the front camera as well as picking a recorded video.
    file = forms.FileField(
        label=_("Video"),
        widget=forms.FileInput(attrs={"accept": "video/*", "capture": "user"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
