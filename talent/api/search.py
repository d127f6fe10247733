"""GET /api/v1/talent/search: the talent pool searched as on the recruiter's desk.

The same parameters as talent.desk.search_query.talent_query_from_params. Recruiters get the people
from the places they recruit for, county org admins the whole pool; anyone else gets 403.
Results carry no phone or ID number: contacting someone is the desk's logged step.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.models.periods import Grade
from portal.models import Member
from talent.desk.search_query import SORTS, talent_query_from_params
from talent.desk.selectors import talent_search
from talent.models import Education, Industry, Willingness
from talent.selectors import can_search_talent


class TalentResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Member.Gender.choices, allow_blank=True)
    age = serializers.IntegerField(allow_null=True, help_text="Full years; null if unknown.")
    hometown_township = serializers.CharField(help_text="The home township's name.")
    hometown_village = serializers.CharField(help_text="The home village's name.")
    current_city = serializers.CharField()
    industry = serializers.ChoiceField(choices=Industry.choices, allow_blank=True)
    occupation = serializers.CharField()
    education = serializers.ChoiceField(choices=Education.choices, allow_null=True)
    willingness = serializers.ChoiceField(choices=Willingness.choices)
    study_hours_this_year = serializers.DecimalField(max_digits=6, decimal_places=1)
    latest_grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True)
    reserve_cadre_trained = serializers.BooleanField()
    highlight = serializers.CharField(
        help_text="HTML: a snippet with the words found in <mark>; empty without text."
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="What to send back as the facet's parameter.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class TalentSearchSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    results = TalentResultSerializer(many=True)
    facets = FacetSerializer(many=True)


class CanSearchTalent(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_search_talent(request.user)


def _result(hit) -> dict:
    profile = hit.profile
    township, village = profile.hometown_township, profile.hometown_village
    return {
        "id": profile.pk,
        "name": profile.display_name,
        "gender": profile.person_gender,
        "age": profile.age,
        "hometown_township": township.name if township else "",
        "hometown_village": village.name if village else "",
        "current_city": profile.current_city,
        "industry": profile.industry,
        "occupation": profile.occupation,
        "education": profile.education,
        "willingness": profile.willingness,
        "study_hours_this_year": profile.study_hours_this_year,
        "latest_grade": profile.latest_grade,
        "reserve_cadre_trained": profile.reserve_cadre_trained,
        "highlight": hit.highlight,
    }


def _page_data(page) -> dict:
    return {
        "total": page.total,
        "page": page.page,
        "num_pages": page.num_pages,
        "results": [_result(hit) for hit in page.hits],
        "facets": [
            {
                "name": facet.name,
                "label": facet.label,
                "values": [vars(value) for value in facet.values],
            }
            for facet in page.facets
        ],
    }


def _choices(choices) -> list[str]:
    return [str(value) for value, _label in choices]


PARAMETERS = [
    OpenApiParameter("q", str, description="Words to look for (Chinese, pinyin of names)."),
    OpenApiParameter("township", int, many=True, description="Home township ids (any of)."),
    OpenApiParameter("village", int, many=True, description="Home village ids (any of)."),
    OpenApiParameter("age_min", int, description="Lowest age in full years."),
    OpenApiParameter("age_max", int, description="Highest age in full years."),
    OpenApiParameter(
        "education", int, enum=Education.values, description="Education at least this level."
    ),
    OpenApiParameter("industry", str, many=True, enum=Industry.values),
    OpenApiParameter("willingness", str, many=True, enum=Willingness.values),
    OpenApiParameter(
        "trained", str, enum=["1", "0"], description="Completed reserve-cadre training."
    ),
    OpenApiParameter("grade", str, many=True, enum=Grade.values, description="Latest grade."),
    OpenApiParameter("exclude_negative", str, enum=["1", "0"], description="Leave out sanctions."),
    OpenApiParameter("base", int, description="A base search whose rules apply on top."),
    OpenApiParameter("sort", str, enum=list(SORTS), description="age: the youngest first."),
    OpenApiParameter("page", int, description="From 1; 20 results a page."),
]


class TalentSearchView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanSearchTalent]

    @extend_schema(
        operation_id="talent_search",
        summary="Search the talent pool",
        parameters=PARAMETERS,
        responses={
            200: TalentSearchSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="A message per parameter that is not valid."
            ),
            403: OpenApiResponse(description="Not a recruiter or county organisation admin."),
        },
    )
    def get(self, request):
        try:
            query = talent_query_from_params(request.query_params)
            page = talent_search(request.user, query)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(TalentSearchSerializer(_page_data(page)).data)
