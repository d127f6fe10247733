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


# Short texts for the queries of several words: how many of its words a text holds decides
# whether it is found and where.
NOTES = {
    "all-four": "流动党员外出务工前向党支部报告，到流入地参加组织生活",
    "three-of-four": "在外务工党员参加组织生活的办法",
    "one-of-four": "组织生活会的召开程序",
    # All three words of 养殖 技术 培训, in a long text where 培训 is a common word ...
    "course": "生态养殖技术培训班，报名时间另行通知，请各村做好宣传发动，组织有意愿的村民参加学习",
    # ... and two of them, each said four times in a short one: BM25 alone ranks it first,
    # and so would its key on a tie.
    "breeding-talk": "养殖技术交流：养殖技术，养殖技术，养殖技术",
    "breeder": "养殖大户",
    "electrician": "电工培训",
    "driver": "驾驶员培训",
    "accountant": "会计培训",
}


def notes_load(keys):
    for key in NOTES if keys is None else keys:
        if key in NOTES:
            yield key, {"body": NOTES[key]}


@pytest.fixture
def notes():
    """NOTES registered as the index "notes" for the test's duration."""
    spec = register(
        SearchDocument(
            name="notes", load=notes_load, text_fields=("body",), count=lambda: len(NOTES)
        )
    )
    yield spec
    unregister("notes")
