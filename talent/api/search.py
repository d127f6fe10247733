"""GET /api/v1/talent/search: the talent pool searched as on the recruiter's desk.

The same parameters as talent.desk.search_query.talent_query_from_params; any other parameter
is a 400 naming it (besides DRF's ``format``), so a misspelt filter never passes unnoticed.
Recruiters get the people from the places they recruit for, county org admins the whole pool;
anyone else gets 403. Results carry no phone or ID number: contacting someone is the desk's
logged step.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from learning.models.periods import Grade
from portal.models import Member
from talent.desk.regions import province_codes
from talent.desk.search_query import SEARCH_PARAMS, SORTS, talent_query_from_params
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
        "current_city": profile.person_city,
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
    OpenApiParameter("gender", str, many=True, enum=Member.Gender.values, description="Any of."),
    OpenApiParameter(
        "education", int, enum=Education.values, description="Education at least this level."
    ),
    OpenApiParameter("industry", str, many=True, enum=Industry.values),
    OpenApiParameter("willingness", str, many=True, enum=Willingness.values),
    OpenApiParameter(
        "city",
        str,
        many=True,
        description="Current city (any of), up to 50 characters each: 深圳, 深圳市 and 广东深圳 "
        "are one city. The results' and the city facet's values are the names to send.",
    ),
    OpenApiParameter(
        "province",
        str,
        many=True,
        enum=province_codes(),
        description="Province of the current city (any of), by its code: 52 is 贵州省.",
    ),
    OpenApiParameter(
        "training",
        str,
        many=True,
        description="Words in the trainings a profile lists (any of), up to 50 characters: "
        "后备干部 finds 村级后备干部培训.",
    ),
    OpenApiParameter(
        "trained", str, enum=["1", "0"], description="Completed reserve-cadre training."
    ),
    OpenApiParameter("grade", str, many=True, enum=Grade.values, description="Latest grade."),
    OpenApiParameter("exclude_negative", str, enum=["1", "0"], description="Leave out sanctions."),
    OpenApiParameter("base", int, description="A base search whose rules apply on top."),
    OpenApiParameter("sort", str, enum=list(SORTS), description="age: the youngest first."),
    OpenApiParameter("page", int, description="From 1; 20 results a page."),
]


def unknown_parameters(params) -> dict[str, list[str]]:
    """A Chinese message for each parameter the search does not read."""
    known = {*SEARCH_PARAMS, api_settings.URL_FORMAT_OVERRIDE}
    return {
        name: [_("“%(name)s” is not a parameter of this search.") % {"name": name}]
        for name in params
        if name not in known
    }


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
        errors = unknown_parameters(request.query_params)
        try:
            query = talent_query_from_params(request.query_params)
            if errors:
                raise ValidationError(errors)
            page = talent_search(request.user, query)
        except DjangoValidationError as error:
            raise ValidationError({**error.message_dict, **errors}) from error
        return Response(TalentSearchSerializer(_page_data(page)).data)
