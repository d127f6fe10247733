"""``manage.py import_talent``: the talent ledger from .xlsx, .csv (UTF-8, GBK) and .json."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from talent.ledger.imports import talent_import
from talent.models import CommitteeRole, Education, TalentProfile, Willingness

HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "手机号",
    "户籍乡镇",
    "户籍村",
    "现居城市",
    "工作单位",
    "行业",
    "职业",
    "学历",
    "技能",
    "创业项目",
    "带动就业人数",
    "荣誉",
    "培训经历",
    "返乡意愿",
    "可任职务",
    "自我介绍",
]
GOOD = [
    "1",
    "王建国",
    "11010519491231002X",
    "13900000011",
    "甲镇党委",
    "甲一村党支部",
    "深圳",
    "某物流公司",
    "物流",
    "货车司机",
    "高中/中专",
    "驾驶、电工",
    "冷链运输",
    "12",
    "优秀务工者",
    "电工培训",
    "愿意",
    "两委委员，后备干部",
    "愿回乡带头致富。",
]
OTHER = [
    "2",
    "李秀英",
    "110105198001010024",
    "13900000012",
    "乙乡党委",
    "B1",
    "广州",
    "",
    "电商",
    "运营",
    "本科",
    "直播",
    "",
    "",
    "",
    "",
    "考虑",
    "",
    "",
]


def _csv(rows, encoding="utf-8") -> BytesIO:
    return BytesIO("\n".join(",".join(row) for row in rows).encode(encoding))


def _import(rows, name="talent.csv", encoding="utf-8"):
    return talent_import(file=_csv(rows, encoding), name=name)


def test_a_good_file_creates_profiles_with_every_column(tree):
    """Each column lands on its field; words of the ledger become the choices."""
    report = _import([HEADER, GOOD, OTHER])
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    profile = TalentProfile.objects.get(id_number="11010519491231002X")
    assert profile.hometown_village == tree.village_a1
    assert profile.education == Education.SENIOR
    assert sorted(profile.skills.names()) == ["电工", "驾驶"]
    assert profile.venture_employees == 12
    assert profile.willingness == Willingness.YES
    assert profile.roles == sorted([CommitteeRole.MEMBER, CommitteeRole.RESERVE])
    other = TalentProfile.objects.get(name="李秀英")
    assert other.hometown_village == tree.village_b1
    assert other.willingness == Willingness.MAYBE


def test_reimporting_the_same_file_changes_nothing(tree):
    """The second run counts every row unchanged and saves nothing."""
    _import([HEADER, GOOD, OTHER])
    stamps = list(TalentProfile.objects.order_by("pk").values_list("updated_at", flat=True))
    report = _import([HEADER, GOOD, OTHER])
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert list(TalentProfile.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    changed = [*GOOD[:7], "另一家公司", *GOOD[8:]]
    report = _import([HEADER, changed, OTHER])
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("身份证号", "110105194912310021", "id_number"),
        ("手机号", "12345", "phone"),
        ("户籍村", "甲一村党支部", "hometown_village"),
        ("学历", "幼儿园", "education"),
        ("返乡意愿", "也许吧", "willingness"),
        ("可任职务", "县长", "roles"),
        ("带动就业人数", "很多", "venture_employees"),
    ],
)
def test_a_mixed_file_writes_nothing_and_names_row_and_field(tree, column, value, field):
    """One bad row fails the whole file: the error names its row and field."""
    bad = list(OTHER)
    bad[HEADER.index(column)] = value
    report = _import([HEADER, GOOD, bad])
    assert not report.ok
    assert [(e["row"], e["field"]) for e in report.errors] == [(3, field)]
    label = str(TalentProfile._meta.get_field(field).verbose_name)
    assert report.errors[0]["label"] == label
    assert label in report.errors[0]["text"]
    assert not TalentProfile.objects.exists()


def test_the_same_id_number_twice_in_a_file_is_refused(tree):
    report = _import([HEADER, GOOD, GOOD])
    assert [(e["row"], e["field"]) for e in report.errors] == [(3, "id_number")]
    assert not TalentProfile.objects.exists()


def test_a_member_is_matched_by_id_number_and_keeps_their_record(tree, members):
    """A member's row attaches to the member; the ledger's phone stays on the member record."""
    row = list(GOOD)
    row[HEADER.index("身份证号")] = members.a1.id_number
    report = _import([HEADER, row])
    assert report.ok, report.errors
    profile = TalentProfile.objects.get()
    assert profile.member == members.a1
    assert profile.phone == ""
    assert not profile.in_pool  # the member's own consent is still needed


def test_gbk_csv_xlsx_and_json_read_the_same(tree):
    """Excel's GBK CSV, a workbook and a JSON list import alike."""
    assert _import([HEADER, GOOD], encoding="gbk").new == 1
    workbook = Workbook()
    for row in (HEADER, OTHER):
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert talent_import(file=buffer, name="talent.xlsx").new == 1
    data = json.dumps({"profiles": [dict(zip(HEADER, GOOD, strict=True))]}, ensure_ascii=False)
    report = talent_import(file=BytesIO(data.encode()), name="talent.json")
    assert (report.new, report.unchanged) == (0, 1)


def test_the_command_prints_counts_and_fails_on_a_bad_file(tree, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([HEADER, GOOD]).getvalue())
    out = StringIO()
    call_command("import_talent", str(good), stdout=out, stderr=StringIO())
    assert "1" in out.getvalue()
    assert TalentProfile.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([HEADER, [*OTHER[:3], "123"]]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_talent", str(bad), stdout=StringIO(), stderr=StringIO())
    assert TalentProfile.objects.count() == 1
