"""POST /api/v1/learning/progress: a member's client reports progress events in batches.

The session cookie and the CSRF token authenticate it (SessionAuthentication enforces CSRF).
Only members may send events; anyone else gets 403. A batch that is not well formed is
refused whole with 400 and the field named; an event that is well formed but cannot be
taken comes back "refused" on its own, and its neighbours are applied.
"""

import uuid

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.registry.backends import user_member

from ..progress.events import EVENT_KINDS, is_finite_number
from ..progress.selectors import progress_states
from ..progress.services import progress_events_record

MAX_EVENTS = 100
MAX_SEGMENTS = 500
MAX_STEP = 2**31 - 1  # the largest primary key the database holds

REQUIRED = _("This field is required.")
INVALID_INTEGER = _("A whole number of at least 1 is required.")
INVALID_SEGMENTS = _(
    "Field “segments”: a list of [start, end] pairs with 0 ≤ start ≤ end is required."
)


def _field_message(message: str, name: str) -> str:
    return gettext(message) % {"field": name}


# Messages that name the field, for numbers that are not numbers, are not finite, or are
# integers too large for a float (the same wording as learning.progress.events).
_named = lazy(_field_message, str)
SECONDS_MESSAGE = "Field “%(field)s”: must be a number of seconds, 0 or more."
ABOVE_ZERO_MESSAGE = "Field “%(field)s”: must be a number above 0."


# The one definition of an event: the API's schema, and what EventField checks each event
# against. A number that is null counts as left out; numbers are JSON numbers, not strings.
# No docstring: it would become the schema's description, untranslated.
class EventSerializer(serializers.Serializer):
    id = serializers.UUIDField(
        help_text=_("The client's own id for the event; a retry reuses it."),
        error_messages={"required": REQUIRED, "invalid": _("Must be a valid UUID.")},
    )
    step = serializers.IntegerField(
        min_value=1,
        max_value=MAX_STEP,
        help_text=_("The track step it is about."),
        error_messages={
            "required": REQUIRED,
            "invalid": INVALID_INTEGER,
            "min_value": INVALID_INTEGER,
            "max_value": INVALID_INTEGER,
        },
    )
    kind = serializers.ChoiceField(
        choices=EVENT_KINDS,
        error_messages={
            "required": REQUIRED,
            "invalid_choice": _("Must be one of: heartbeat, segments, position."),
        },
    )
    seconds = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("Heartbeat: seconds the page was visible since the last one."),
        error_messages={"invalid": _named(SECONDS_MESSAGE, "seconds")},
    )
    segments = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        required=False,
        max_length=MAX_SEGMENTS,
        help_text=_("Segments: the parts actually played, as [start, end] in seconds."),
        error_messages={"not_a_list": INVALID_SEGMENTS, "max_length": INVALID_SEGMENTS},
    )
    position = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("Where playback stands, to resume from."),
        error_messages={"invalid": _named(SECONDS_MESSAGE, "position")},
    )
    rate = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("Playback rate (1 is normal)."),
        error_messages={"invalid": _named(ABOVE_ZERO_MESSAGE, "rate")},
    )


def _is_valid(field: serializers.Field, value) -> bool:
    """Whether ``value`` is what the declared ``field`` takes, read from its declaration.

    Numbers are checked before any float arithmetic: an integer too large for a float, NaN
    or infinity (``1e400`` parses as one) is refused here, naming the field, not met later as
    an OverflowError."""
    if isinstance(field, serializers.IntegerField):
        low, high = field.min_value, field.max_value
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (low is None or value >= low)
            and (high is None or value <= high)
        )
    if isinstance(field, serializers.FloatField):
        return is_finite_number(value)
    if isinstance(field, serializers.ChoiceField):
        return value in tuple(field.choices)
    if isinstance(field, serializers.ListField):
        return (
            isinstance(value, list)
            and (field.max_length is None or len(value) <= field.max_length)
            and all(_is_valid(field.child, item) for item in value)
        )
    raise TypeError(f"no check for {type(field).__name__}")


# The error each kind of field gives for a value it does not take (DRF's own keys).
_ERROR_KEYS = {serializers.ChoiceField: "invalid_choice", serializers.ListField: "not_a_list"}


def _event_check(field: serializers.Field, value) -> tuple[object, str]:
    """The value as the services take it, and the field's error message if it is not valid."""
    if isinstance(field, serializers.UUIDField):
        try:
            return str(uuid.UUID(str(value))), ""
        except ValueError:
            return None, field.error_messages["invalid"]
    if _is_valid(field, value):
        return value, ""
    return value, field.error_messages[_ERROR_KEYS.get(type(field), "invalid")]


@extend_schema_field(EventSerializer)
class EventField(serializers.Field):
    """One event, checked against EventSerializer's fields without running it.

    A batch of 20 events through EventSerializer costs several milliseconds of a worker's
    CPU; reading its declared fields once and checking each event by hand gives the same
    errors, keyed by field, for a fraction of it.
    """

    default_error_messages = {"invalid": _("Each event must be an object.")}
    FIELDS = EventSerializer().fields

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        errors, event = {}, {}
        for name, field in self.FIELDS.items():
            if name not in data or (data[name] is None and field.allow_null):
                if field.required:
                    errors[name] = [field.error_messages["required"]]
                continue
            value, error = _event_check(field, data[name])
            if error:
                errors[name] = [error]
            event[name] = value
        if errors:
            raise serializers.ValidationError(errors)
        return event

    def to_representation(self, value):
        return value


class ProgressBatchSerializer(serializers.Serializer):
    events = serializers.ListField(child=EventField(), min_length=1, max_length=MAX_EVENTS)


class EventResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["accepted", "duplicate", "refused"])
    detail = serializers.CharField(help_text=_("Why an event was refused, or what waits."))
    settled = serializers.BooleanField(
        help_text=_(
            "False while part of what the event reported waits for study time; the server "
            "keeps it, so the client need not send it again."
        )
    )


class StepStateSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    seconds_credited = serializers.IntegerField()
    required_seconds = serializers.IntegerField()
    coverage = serializers.FloatField(help_text=_("How far along the step is, 0 to 1."))
    pending_seconds = serializers.FloatField(
        help_text=_("Seconds of video reported played that wait for study time.")
    )
    position = serializers.FloatField()
    completed = serializers.BooleanField()
    track_completed = serializers.BooleanField()


class ProgressResponseSerializer(serializers.Serializer):
    results = EventResultSerializer(many=True)
    steps = StepStateSerializer(many=True)


class IsMember(permissions.BasePermission):
    """A logged-in member; the member is kept on the request for the view.

    Recording events needs only the member's keys, which the login backend loaded with the
    user (``portal.registry.backends``): the organisations that decide which steps are theirs
    load on first use, once a minute at most (``step_facts``)."""

    def has_permission(self, request, view) -> bool:
        request.member = user_member(request.user)
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
        return Response(progress_report(request.member, batch.validated_data["events"]))


def progress_report(member, events: list[dict]) -> dict:
    """Record checked events; the answer's body: each event's outcome, each step's state."""
    results = progress_events_record(member=member, events=events)
    return {
        "results": [
            {"id": r.id, "outcome": r.outcome, "detail": r.detail, "settled": r.settled}
            for r in results
        ],
        "steps": progress_states(member=member, results=results),
    }
