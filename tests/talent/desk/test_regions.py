"""talent/desk/regions.py and talent/data/regions.txt: the province and prefecture-level city
of the current city a person wrote."""

import pytest

from portal.registry.identity import PROVINCE_CODES
from talent.desk.regions import Regions, city_key, place_of, regions


def test_the_table_holds_every_province_and_prefecture_level_division():
    """34 province-level divisions with the codes ID numbers use; 333 prefecture-level ones
    (293 cities, 7 prefectures, 30 autonomous prefectures, 3 leagues)."""
    table = regions()
    assert set(table.provinces) == PROVINCE_CODES
    cities = [city for province in table.provinces.values() for city in province.cities]
    assert len(cities) == len(set(cities)) == 333
    assert sum(city.endswith("市") for city in cities) == 293
    assert sum(city.endswith("地区") for city in cities) == 7
    assert sum(city.endswith("自治州") for city in cities) == 30
    assert sum(city.endswith("盟") for city in cities) == 3
    assert table.provinces["52"].name == "贵州省"
    assert len(table.provinces["52"].cities) == 9
    assert table.provinces["44"].cities[:3] == ("广州市", "韶关市", "深圳市")


@pytest.mark.parametrize(
    ("written", "city", "province"),
    [
        ("深圳", "深圳市", "44"),
        ("深圳市", "深圳市", "44"),
        ("广东深圳", "深圳市", "44"),
        ("广东省深圳市南山区", "深圳市", "44"),
        (" 廣州 ", "广州市", "44"),  # traditional characters, spaces
        ("黔东南州", "黔东南苗族侗族自治州", "52"),
        ("黔南", "黔南布依族苗族自治州", "52"),
        ("海南州", "海南藏族自治州", "63"),  # Qinghai's, not the island province
        ("海南省海口市", "海口市", "46"),
        ("吉林长春", "长春市", "22"),  # 吉林 is the province before the city
        ("吉林市", "吉林市", "22"),
        ("北京朝阳区", "北京市", "11"),  # a municipality is its own city
        ("上海", "上海市", "31"),
        ("襄樊", "襄阳市", "42"),  # the old name
        ("阿里", "阿里地区", "54"),
        ("兴安盟", "兴安盟", "15"),
        ("内蒙古呼和浩特", "呼和浩特市", "15"),
        ("江苏昆山", "江苏昆山", "32"),  # a county-level city: the province is still known
        ("昆山", "昆山", None),
    ],
)
def test_a_written_city_reads_as_its_city_and_province(written, city, province):
    place = place_of(written)
    assert (place.city, place.province) == (city, province)


def test_nothing_written_is_no_place():
    assert place_of("") is None and place_of("  ") is None
    assert city_key("") == ""


def test_reading_a_city_twice_changes_nothing():
    """What the index holds and a saved search stores reads back as itself."""
    table = regions()
    for province in table.provinces.values():
        for name in (province.name, *province.cities):
            assert city_key(city_key(name)) == city_key(name)
    assert city_key(city_key("江苏昆山")) == "江苏昆山"


def test_a_name_for_places_in_two_provinces_is_refused():
    with pytest.raises(ValueError, match="两河"):
        Regions("01 甲省 甲\n  两河市\n02 乙省 乙\n  两河地区\n")
