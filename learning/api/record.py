"""GET /api/v1/me/record: the logged-in member's own record. There is no parameter that
names a member, so nobody can ask for another's."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.registry.selectors import member_for_user

from ..record.selectors import certificate_verify_url, member_record


class CertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    verify_url = serializers.URLField()
    download_url = serializers.CharField()
    revoked = serializers.BooleanField()


class CompletedTrackSerializer(serializers.Serializer):
    track_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    completed_at = serializers.DateTimeField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    points = serializers.IntegerField()
    certificate = CertificateSerializer(allow_null=True, help_text="Null until it is issued.")


class DueTrackSerializer(serializers.Serializer):
    track_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    points = serializers.IntegerField()


class RecordSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    required_hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    points = serializers.IntegerField()
    points_by_month = serializers.ListField(
        child=serializers.IntegerField(), min_length=12, max_length=12, help_text="January first."
    )
    completed = CompletedTrackSerializer(many=True)
    due = DueTrackSerializer(many=True, help_text="Nearest deadline first.")


def _certificate(completion) -> dict | None:
    certificate = getattr(completion, "certificate", None)
    if certificate is None:
        return None
    return {
        "code": certificate.code,
        "verify_url": certificate_verify_url(certificate),
        "download_url": reverse("learning:certificate_pdf", kwargs={"code": certificate.code}),
        "revoked": certificate.revoked_at is not None,
    }


def record_data(record) -> dict:
    completed = [
        {
            "track_id": completion.track_id,
            "title": completion.track_title,
            "completed_at": completion.completed_at,
            "hours": completion.study_hours,
            "points": completion.points,
            "certificate": _certificate(completion),
        }
        for completion in record.completions
    ]
    due = [
        {
            "track_id": item.track.pk,
            "title": item.track.title,
            "url": item.track.url,
            "deadline": item.track.deadline,
            "overdue": item.overdue,
            "hours": item.track.study_hours,
            "points": item.track.points,
        }
        for item in record.due
    ]
    return {
        "year": record.year,
        "hours": record.hours,
        "required_hours": record.required_hours,
        "points": record.points,
        "points_by_month": record.points_by_month,
        "completed": completed,
        "due": due,
    }


class MyRecordView(APIView):
    @extend_schema(
        operation_id="me_record",
        summary="The logged-in member's own learning record for this year",
        responses={200: RecordSerializer},
    )
    def get(self, request):
        member = member_for_user(request.user)
        if member is None:
            raise PermissionDenied("This account has no member record.")
        record = member_record(member=member)
        return Response(RecordSerializer(record_data(record)).data)
