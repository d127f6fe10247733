"""What bench/talent_search.py searches for: the fixed searches of each kind, and the talent
document spec it falls back on when the talent app registers none."""

# Each search: (text, filters, facets, any_of, trainings). The filters name village/township
# ids by position, resolved in the child once the county exists. ``trainings``: words of a
# recruiter's training filter, turned into engine filters by the talent desk
# (talent.desk.filters.query_filters) inside the timing, as the desk and the API do.
FACETS = ("township", "village", "education", "industry", "willingness")
TEXT_ONLY = ["电商", "养殖", "厨师", "建造师", "后备干部", "深圳 电工", "zw", "直播带货"]
# Questions of three to five words once the question words are left out: three of four or
# five words are enough (docs/adr/0017-should-match.md).
QUESTIONS = [
    "在深圳做电工和焊接的返乡人员",
    "如何找到懂电商直播带货的后备干部",
    "会茶叶种植和食用菌种植的养殖户",
    "想回乡创业的厨师有哪些",
    "参加过村级后备干部培训的电商运营",
    "深圳 电工 焊接 质量管理",
]


def searches(townships: list[int], villages: list[int]) -> dict[str, list[tuple]]:
    filters_3 = [
        {"township": townships[0], "education": {"gte": 3}, "willingness": ["yes", "maybe"]},
        {"township": townships[1], "birth_date": {"gte": "1985-01-01"}, "negative": False},
        {"village": villages[2], "education": {"gte": 2}, "industry": ["trade", "it"]},
        {"township": townships[3], "reserve_cadre_trained": True, "grade": ["excellent"]},
    ]
    return {
        "text": [(text, {}, (), {}) for text in TEXT_ONLY],
        "question, 3-5 words": [(text, {}, (), {}) for text in QUESTIONS],
        "training filter": [
            ("", {}, FACETS, {}, ("后备干部",)),
            ("", {"township": townships[0]}, FACETS, {}, ("电商", "创业")),
            ("厨师", {}, (), {}, ("职业技能",)),
            ("电商", {"education": {"gte": 3}}, FACETS, {}, ("电商培训",)),
            ("", {"willingness": "yes"}, FACETS, {}, ("冬训",)),
        ],
        "text + 3 filters + 5 facets": [
            (text, filters, FACETS, {})
            for text in ("电商", "养殖", "后备干部", "厨师")
            for filters in filters_3[:2]
        ]
        + [("电工", filters_3[2], FACETS, {}), ("合格", filters_3[3], FACETS, {})],
        "filters + 5 facets, no text": [("", filters, FACETS, {}) for filters in filters_3]
        + [
            ("", {"willingness": "yes"}, FACETS, {}),
            ("", {}, FACETS, {"township": townships[:2], "village": villages[:3]}),
            ("", {"education": {"gte": 4}, "negative": False}, FACETS, {}),
            ("", {"birth_date": {"gte": "1990-01-01", "lte": "1995-12-31"}}, FACETS, {}),
        ],
    }


def local_spec():
    """The talent document's shape, for runs before the talent app registers its own."""
    from search.registry import SearchDocument, register
    from talent.models import TalentProfile

    def load(keys):
        profiles = TalentProfile.objects.in_pool().prefetch_related("skills").order_by("pk")
        if keys is not None:
            profiles = profiles.filter(pk__in=[int(key) for key in keys])
        for profile in profiles.iterator(chunk_size=500):
            fields = {
                "name": profile.name,
                "occupation": profile.occupation,
                "employer": profile.employer,
                "current_city": profile.current_city,
                "skills": sorted(tag.name for tag in profile.skills.all()),
                "venture": profile.venture,
                "honours": profile.honours,
                "trainings": profile.trainings,
                "self_introduction": profile.self_introduction,
                "industry_label": str(profile.get_industry_display()),
                "township": profile.hometown_township_id,
                "village": profile.hometown_village_id,
                "birth_date": profile.birth_date.isoformat() if profile.birth_date else None,
                "education": profile.education,
                "industry": profile.industry or None,
                "willingness": profile.willingness or None,
                "reserve_cadre_trained": profile.reserve_cadre_trained,
                "grade": profile.latest_grade or None,
                "study_hours": int(profile.study_hours_this_year * 10),
                "negative": profile.on_negative_list,
            }
            yield str(profile.pk), {k: v for k, v in fields.items() if v is not None}

    return register(
        SearchDocument(
            name="talent",
            load=load,
            text_fields=(
                "name",
                "occupation",
                "employer",
                "current_city",
                "skills",
                "venture",
                "honours",
                "trainings",
                "self_introduction",
                "industry_label",
            ),  # fmt: skip
            name_fields=("name",),
            filter_fields={
                "township": "integer",
                "village": "integer",
                "birth_date": "date",
                "education": "integer",
                "industry": "keyword",
                "willingness": "keyword",
                "reserve_cadre_trained": "boolean",
                "grade": "keyword",
                "study_hours": "integer",
                "negative": "boolean",
            },
            facets=(
                "township",
                "village",
                "education",
                "industry",
                "willingness",
                "reserve_cadre_trained",
                "grade",
            ),  # fmt: skip
            count=lambda: TalentProfile.objects.in_pool().count(),
        )
    )
