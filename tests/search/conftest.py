import pytest

from search.registry import SearchDocument, register, unregister

# A test-only document kind: search knows no app, so its contract is tested with this one.
PEOPLE = {
    "1": {
        "bio": "认真学习党章，遵守党的纪律",
        "name": "李明",
        "town": "甲镇",
        "age": 35,
        "born": "1990-03-01",
        "willing": True,
    },
    "2": {
        "bio": "在家乡发展生态养殖，带动村民致富",
        "name": "王芳",
        "town": "甲镇",
        "age": 42,
        "born": "1983-07-15",
        "willing": False,
    },
    "3": {
        "bio": "返乡创业做电子商务，开网店",
        "name": "陈刚",
        "town": "乙乡",
        "age": 28,
        "born": "1997-11-20",
        "willing": True,
    },
    "4": {
        "bio": "配合同事完成工作",
        "name": "赵强",
        "town": "乙乡",
        "age": 51,
        "born": "1974-01-09",
        "willing": True,
    },
    "5": {
        "bio": "签订劳动合同，熟练使用Excel和CAD",
        "name": "张伟",
        "town": "甲镇",
        "age": 30,
        "born": "1995-05-05",
        "willing": True,
    },
}


def people_load(keys):
    for key in PEOPLE if keys is None else keys:
        if key in PEOPLE:
            yield key, PEOPLE[key]


@pytest.fixture
def people():
    """The test documents, registered as the index "people" for the test's duration."""
    spec = register(
        SearchDocument(
            name="people",
            load=people_load,
            text_fields=("bio",),
            name_fields=("name",),
            filter_fields={
                "town": "keyword",
                "age": "integer",
                "born": "date",
                "willing": "boolean",
            },
            facets=("town", "willing"),
            count=lambda: len(PEOPLE),
        )
    )
    yield spec
    unregister("people")
