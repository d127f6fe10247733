"""POST /api/v1/learning/progress: a member's client reports progress events in batches.

The session cookie and the CSRF token authenticate it (SessionAuthentication enforces CSRF).
Only members may send events; anyone else gets 403. A batch that is not well formed is
refused whole with 400 and the field named; an event that is well formed but cannot be
taken comes back "refused" on its own, and its neighbours are applied.
"""

import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.registry.selectors import member_for_user

from ..progress import EVENT_KINDS, progress_events_record, progress_states

MAX_EVENTS = 100
MAX_SEGMENTS = 500


class EventSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=_("The client's own id for the event; a retry reuses it."))
    step = serializers.IntegerField(min_value=1, help_text=_("The track step it is about."))
    kind = serializers.ChoiceField(choices=EVENT_KINDS)
    seconds = serializers.FloatField(
        required=False, help_text=_("Heartbeat: seconds the page was visible since the last one.")
    )
    segments = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        required=False,
        max_length=MAX_SEGMENTS,
        help_text=_("Segments: the parts actually played, as [start, end] in seconds."),
    )
    position = serializers.FloatField(
        required=False, help_text=_("Where playback stands, to resume from.")
    )
    rate = serializers.FloatField(required=False, help_text=_("Playback rate (1 is normal)."))


@extend_schema_field(EventSerializer)
class EventField(serializers.Field):
    """One event, checked as EventSerializer describes it, by hand.

    A batch of 20 events through EventSerializer costs several milliseconds of a worker's
    CPU; these checks give the same errors, keyed by field, for a fraction of it.
    """

    FLOATS = ("seconds", "position", "rate")
    default_error_messages = {
        "invalid": _("Each event must be an object."),
        "uuid": _("Must be a valid UUID."),
        "integer": _("A whole number of at least 1 is required."),
        "choice": _("Must be one of: heartbeat, segments, position."),
        "number": _("A number is required."),
        "segments": _("A list of [start, end] pairs of numbers is required."),
        "required": _("This field is required."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        errors, event = {}, {}
        for name, check in (("id", self._uuid), ("step", self._step), ("kind", self._kind)):
            if name not in data:
                errors[name] = [self.error_messages["required"]]
                continue
            value, error = check(data[name])
            if error:
                errors[name] = [self.error_messages[error]]
            event[name] = value
        for name in self.FLOATS:
            if data.get(name) is not None:
                if not _is_number(data[name]):
                    errors[name] = [self.error_messages["number"]]
                event[name] = data[name]
        if "segments" in data:
            if not _are_segments(data["segments"]):
                errors["segments"] = [self.error_messages["segments"]]
            event["segments"] = data["segments"]
        if errors:
            raise serializers.ValidationError(errors)
        return event

    def to_representation(self, value):
        return value

    @staticmethod
    def _uuid(value):
        try:
            return str(uuid.UUID(str(value))), ""
        except ValueError:
            return None, "uuid"

    @staticmethod
    def _step(value):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value, "" if ok else "integer"

    @staticmethod
    def _kind(value):
        return value, "" if value in EVENT_KINDS else "choice"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _are_segments(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_SEGMENTS
        and all(isinstance(pair, list) and all(_is_number(v) for v in pair) for pair in value)
    )


class ProgressBatchSerializer(serializers.Serializer):
    events = serializers.ListField(child=EventField(), min_length=1, max_length=MAX_EVENTS)


class EventResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["accepted", "duplicate", "refused"])
    detail = serializers.CharField(help_text=_("Why an event was refused or trimmed."))


class StepStateSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    seconds_credited = serializers.IntegerField()
    required_seconds = serializers.IntegerField()
    coverage = serializers.FloatField(help_text=_("How far along the step is, 0 to 1."))
    position = serializers.FloatField()
    completed = serializers.BooleanField()
    track_completed = serializers.BooleanField()


class ProgressResponseSerializer(serializers.Serializer):
    results = EventResultSerializer(many=True)
    steps = StepStateSerializer(many=True)


class IsMember(permissions.BasePermission):
    """A logged-in member; the member is kept on the request for the view."""

    def has_permission(self, request, view) -> bool:
        request.member = member_for_user(request.user)
        return request.member is not None


EXAMPLE = {
    "events": [
        {
            "id": "6f1c2a9e-3b1d-4c59-8a8e-0f3d2b7c9e11",
            "step": 12,
            "kind": "segments",
            "segments": [[0, 15.2]],
            "position": 15.2,
            "rate": 1,
        }
    ]
}


class ProgressView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsMember]

    @extend_schema(
        operation_id="learning_progress_report",
        summary="Report progress events",
        request=ProgressBatchSerializer,
        responses={200: ProgressResponseSerializer},
        examples=[OpenApiExample("A played segment", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        batch = ProgressBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        events = batch.validated_data["events"]
        results = progress_events_record(member=request.member, events=events)
        body = {
            "results": [{"id": r.id, "outcome": r.outcome, "detail": r.detail} for r in results],
            "steps": progress_states(member=request.member, results=results),
        }
        return Response(body)
