"""search/analysis.py: the tokens both engines index and look up, on the issue's cases."""

import pytest

from search.analysis import (
    default_analyzer,
    expand,
    minimum_should_match,
    normalize,
    tokens_for_index,
)
from search.pinyin import syllables
from search.synonyms import tokens_for_query


def finds(query: str, text: str, names: tuple[str, ...] = ()) -> bool:
    """Whether a document with ``text`` (and people ``names``) matches ``query``, without
    synonyms: the analysis alone decides."""
    return tokens_for_query(query, synonyms=False).matches(tokens_for_index(text, names=names))


# --- Short words in longer text ---------------------------------------------------------


def test_a_two_character_word_is_indexed_as_its_own_token():
    """学习党章知识 is indexed as three words, so 党章 is a token of its own."""
    assert tokens_for_index("学习党章知识") == ["学习", "党章", "知识"]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("党章", "组织流动党员集中学习党章知识"),
        ("养殖", "返乡后在村里开展养殖业，带动乡亲致富"),
        ("养殖", "在老家从事生猪养殖十余年"),
        ("电商", "返乡发展农村电商，销售本地土特产"),
        ("合同", "与企业签订劳动合同"),
        ("党员", "流动党员红色包裹发放"),
        ("两委", "参加村两委换届选举"),
    ],
)
def test_a_short_word_is_found_in_longer_text(query, text):
    """A word is found on its own and as a part of a longer word (合同 in 劳动合同)."""
    assert finds(query, text)


def test_a_longer_word_is_indexed_whole_and_by_its_parts():
    """劳动合同 is indexed as itself and as 劳动 and 合同; the query keeps it whole."""
    assert tokens_for_index("签订劳动合同") == ["签订", "劳动合同", "劳动", "合同"]
    assert tokens_for_query("签订劳动合同", synonyms=False).terms == ["签订", "劳动合同"]


# --- Word boundaries --------------------------------------------------------------------


def test_a_query_does_not_match_characters_across_a_word_boundary():
    """配合同事 is 配合 / 同事: its characters hold 合同, its words do not."""
    assert tokens_for_index("请配合同事完成台账录入") == [
        "请",
        "配合",
        "同事",
        "完成",
        "台账",
        "录入",
    ]
    assert not finds("合同", "请配合同事完成台账录入")
    assert finds("同事", "请配合同事完成台账录入")


def test_the_parts_of_a_word_tile_it_without_overlapping():
    """中华人民共和国 gives 中华, 人民, 共和国 (and 共和), never 华人, which straddles two parts;
    二十大 gives 二十, never 十大."""
    assert tokens_for_index("中华人民共和国") == [
        "中华人民共和国",
        "中华",
        "人民",
        "共和国",
        "共和",
    ]
    assert not finds("华人", "中华人民共和国")
    assert finds("人民", "中华人民共和国")
    assert tokens_for_index("二十大") == ["二十大", "二十"]
    assert not finds("十大", "学习贯彻党的二十大精神")
    assert not finds("对联", "1+N结对联系")


def test_domain_words_stay_whole_and_keep_their_parts():
    """Words jieba does not know (search/data/userdict.txt) are one token, with their parts."""
    assert tokens_for_query("流动党员红色包裹", synonyms=False).terms == ["流动党员", "红色包裹"]
    assert tokens_for_index("驻村第一书记") == [
        "驻村第一书记",
        "驻村",
        "第一书记",
        "第一",
        "书记",
    ]
    assert finds("书记", "驻村第一书记")
    assert finds("三会一课", "严格落实三会一课制度")


# --- Names ------------------------------------------------------------------------------


def test_a_name_is_indexed_whole_and_as_pinyin_and_initials():
    assert tokens_for_index("", names=["张伟"]) == ["张伟", "zhangwei", "zw"]


@pytest.mark.parametrize("query", ["张伟", "zhangwei", "ZhangWei", "zw", "ＺＷ"])
def test_a_person_is_found_by_name_pinyin_or_initials(query):
    assert finds(query, "从事电商工作", names=("张伟",))


def test_a_name_jieba_guessed_with_a_neighbour_is_still_found():
    """jieba's HMM reads 推荐张伟为… as 张伟为: the pairs inside a guessed word are parts."""
    assert tokens_for_index("推荐张伟为后备干部")[:4] == ["推荐", "张伟为", "张伟", "伟为"]
    assert finds("张伟", "推荐张伟为后备干部")


def test_pinyin_is_for_names_only():
    """Text is not indexed as pinyin: "zw" would otherwise match every 张伟 in every text."""
    assert not finds("zhangwei", "推荐张伟担任后备干部")
    assert finds("zhangwei", "", names=("张伟",))


def test_a_surname_with_its_own_reading_is_found_by_both_spellings():
    """单 reads shan as a surname and dan elsewhere; either spelling finds 单雄."""
    assert tokens_for_index("", names=["单雄"]) == ["单雄", "danxiong", "dx", "shanxiong", "sx"]


def test_a_compound_surname_and_a_separated_name():
    assert finds("oynn", "", names=("欧阳娜娜",))
    assert finds("欧阳", "", names=("欧阳娜娜",))
    assert tokens_for_index("", names=["阿卜杜·热合曼"])[0] == "阿卜杜热合曼"
    assert finds("阿卜杜热合曼", "", names=("阿卜杜·热合曼",))


def test_a_name_in_latin_letters_is_kept_lower_case_without_pinyin():
    assert tokens_for_index("", names=["Tom"]) == ["tom"]


# --- Traditional characters, Latin tokens, full width ------------------------------------


def test_traditional_characters_fold_to_simplified():
    assert normalize("黨章 養殖 電商 後備幹部") == "党章 养殖 电商 后备干部"
    assert tokens_for_index("學習黨章") == tokens_for_index("学习党章")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("黨章", "学习党章"),
        ("党章", "學習黨章"),
        ("後備幹部", "村级后备干部培训"),
        ("电商", "發展農村電商"),
    ],
)
def test_traditional_and_simplified_find_each_other(query, text):
    assert finds(query, text)


def test_latin_tokens_are_whole_and_lower_case():
    assert tokens_for_index("熟悉Excel和CAD，会用APP，懂5G") == [
        "熟悉",
        "excel",
        "cad",
        "会用",
        "app",
        "懂",
        "5g",
    ]


@pytest.mark.parametrize(
    ("query", "text"),
    [("app", "开发手机APP"), ("APP", "开发手机app"), ("5g", "5G基站维护"), ("EXCEL", "精通Excel")],
)
def test_latin_tokens_match_whatever_their_case(query, text):
    assert finds(query, text)


def test_latin_tokens_are_not_matched_inside_longer_ones():
    """CAD is a token of its own: it is not found in CADENCE, nor APP in APPLE."""
    assert not finds("cad", "使用Cadence")
    assert not finds("app", "苹果Apple手机")


def test_full_width_letters_digits_and_punctuation_are_folded():
    assert tokens_for_index("ＡＰＰ开发，５Ｇ！") == ["app", "开发", "5g"]
    assert finds("ＡＰＰ", "开发APP")


def test_numbers_are_kept_and_punctuation_and_function_words_dropped():
    assert tokens_for_index("全年完成32学时，积分98分。") == [
        "全年",
        "完成",
        "32",
        "学时",
        "积分",
        "98",
        "分",
    ]
    assert tokens_for_index("党的章程") == ["党", "章程"]


# --- The query ----------------------------------------------------------------------------


def test_both_words_of_a_two_word_query_must_be_in_the_document():
    assert finds("养殖 电商", "养殖大户兼做电商")
    assert not finds("养殖 电商", "养殖大户")


@pytest.mark.parametrize(
    ("clauses", "needed"),
    [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 5), (8, 6), (10, 7)],
)
def test_a_query_needs_all_of_two_words_and_three_in_four_beyond(clauses, needed):
    """Elasticsearch's minimum_should_match "2<75%", a percentage rounded down."""
    assert minimum_should_match(clauses) == needed


@pytest.mark.parametrize(
    ("clauses", "needed"), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (9, 5)]
)
def test_a_question_needs_half_its_words_rounded_up(clauses, needed):
    """A question: Elasticsearch's "1<-50%" (half may be missing, rounded down)."""
    assert minimum_should_match(clauses, question=True) == needed


def test_a_query_holding_question_words_is_a_question():
    """怎么 makes 在外地怎么转组织关系 a question, needing one of its two words; without
    question words the same words are both needed."""
    asked = tokens_for_query("在外地怎么转组织关系", synonyms=False)
    assert (asked.terms, asked.question, asked.minimum_should_match) == (
        ["外地", "转", "组织关系"],
        True,
        2,
    )
    typed = tokens_for_query("外地 组织关系", synonyms=False)
    assert (typed.question, typed.minimum_should_match) == (False, 2)
    assert tokens_for_query("外地怎么办组织关系", synonyms=False).minimum_should_match == 1


@pytest.mark.parametrize("word", ["找会", "想找", "有没有"])
def test_a_word_made_of_question_words_is_one(word):
    """jieba runs question words together (想找会养猪的: 想 / 找会 / 养猪): 找会 is 找 + 会, both
    question words, so it is left out as they are; 养猪 stays."""
    assert default_analyzer().asks(word)
    query = tokens_for_query(f"{word}养猪的", synonyms=False)
    assert (query.terms, query.question) == (["养猪"], True)


@pytest.mark.parametrize("word", ["养猪", "会计", "找工作", "人才"])
def test_a_word_holding_a_question_word_among_others_is_not_one(word):
    assert not default_analyzer().asks(word)


def test_a_document_matches_enough_of_the_clauses_and_counts_them():
    query = tokens_for_query("养殖 技术 培训 电商", synonyms=False)
    assert query.minimum_should_match == 3
    assert query.matched(tokens_for_index("生态养殖技术培训")) == 3
    assert finds("养殖 技术 培训 电商", "生态养殖技术培训")
    assert not finds("养殖 技术 培训 电商", "养殖技术交流")


def test_question_words_are_left_out_of_the_query_but_kept_in_documents():
    """如何, 期间 say how the question is asked; documents are still indexed with them."""
    assert tokens_for_query("外出务工期间如何参加组织生活", synonyms=False).terms == [
        "外出",
        "务工",
        "参加",
        "组织生活",
    ]
    assert tokens_for_query("请问怎么办呢？", synonyms=False).clauses == ()
    assert "如何" in tokens_for_index("流动党员如何参加组织生活")


def test_spaced_pinyin_is_one_clause_met_joined_or_apart():
    """wang fang is met by wangfang (a name's pinyin) or by both words; a word that is not
    pinyin (excel) stays a clause of its own, and a repeated word counts once."""
    query = tokens_for_query("WANG fang Excel excel", synonyms=False)
    assert query.clauses == ((("wangfang",), ("wang", "fang")), (("excel",),))
    assert finds("Wang Fang", "", names=("王芳",))
    assert finds("ou yang na na", "", names=("欧阳娜娜",))
    assert not finds("wang fang", "", names=("王方圆",))


def test_an_empty_query_matches_nothing():
    assert tokens_for_query("，。！", synonyms=False).clauses == ()
    assert not finds("，。！", "学习党章")


def test_a_synonym_run_becomes_one_clause_with_its_alternatives():
    """The longest run of tokens that spells a term wins; the rest stay one clause each."""
    table = {("党", "二十大"): (("党", "二十大"), ("二十大",)), ("党",): (("党",), ("党员",))}
    query = expand(["学习", "党", "二十大"], table)
    assert query.clauses == ((("学习",),), (("党", "二十大"), ("二十大",)))
    assert query.matches(["学习", "二十大"])
    assert not query.matches(["学习", "党"])


# --- Caching and line-by-line analysis change nothing --------------------------------------

# Breaks where a text is cut into lines and clauses, next to what they could disturb:
# a word on either side, CR LF, Greek final sigma, combining marks, full-width punctuation,
# traditional characters, Latin tokens and a word jieba's HMM guessed.
TRICKY_TEXTS = [
    "",
    "\n",
    "\n\n学习党章知识\n",
    "学习\r\n党章",
    "签订劳动\n合同",
    "黨章\n養殖，電商、後備幹部。",
    "ΟΔΟΣ\nΣΑ",
    "cafe\u0301\n\u0301x",
    "熟悉Excel，CAD；APP！5G？",
    "推荐张伟为后备干部：签订劳动合同",
    "在深圳打拼10年，电工出身，积累了焊接、质量管理方面的经验，",
    "4.3亿元，-139.13万元；C++、C#\n.NET",
    "中华人民共和国\n中华人民共和国，二十大。配合同事",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_a_text_analysed_line_by_line_gives_the_tokens_of_one_pass(text):
    """Lines and clauses are analysed (and remembered) one at a time; the tokens are the
    ones the whole text gives in one pass of the segmenter, in the same order."""
    analyzer = default_analyzer()
    one_pass = analyzer._text_tokens(normalize(text))
    assert tokens_for_index(text) == one_pass
    analyzer.cache_clear()
    assert tokens_for_index(text) == one_pass


def test_tricky_texts_keep_their_tokens():
    """The tokens these texts had before the analysis was cached, line by line."""
    assert tokens_for_index("学习\r\n党章") == ["学习", "党章"]
    assert tokens_for_index("签订劳动\n合同") == ["签订", "劳动", "合同"]
    assert tokens_for_index("黨章\n養殖，電商、後備幹部。") == [
        *("党章", "养殖", "电商", "后备干部", "后备", "干部")
    ]
    assert tokens_for_index("ΟΔΟΣ\nΣΑ") == ["ο", "δ", "ο", "ς", "σ", "α"]
    assert tokens_for_index("cafe\u0301\n\u0301x") == ["caf", "é", "x"]
    assert tokens_for_index("推荐张伟为后备干部：签订劳动合同") == [
        *("推荐", "张伟为", "张伟", "伟为", "后备干部", "后备", "干部"),
        *("签订", "劳动合同", "劳动", "合同"),
    ]
    assert tokens_for_index("", names=["曾\n国藩", "单雄", "欧阳娜娜", "Tom Lee", "重庆"]) == [
        *("曾\n国藩", "曾", "国藩", "单雄", "danxiong", "dx", "shanxiong", "sx"),
        *("欧阳娜娜", "欧阳", "娜娜", "ouyangnana", "oynn", "tomlee", "重庆", "chongqing", "cq"),
    ]


def test_changing_the_returned_tokens_does_not_change_the_next_result():
    tokens = tokens_for_index("签订劳动合同", names=["张伟"])
    tokens.append("changed")
    tokens[0] = "changed"
    assert tokens_for_index("签订劳动合同", names=["张伟"]) == [
        *("签订", "劳动合同", "劳动", "合同", "张伟", "zhangwei", "zw")
    ]


@pytest.mark.parametrize(
    "name", ["张伟", "重庆", "长江", "单单", "曾国藩", "尉迟恭", "解晓东", "朝阳", "行长", "乐乐"]
)
def test_remembered_pinyin_is_pypinyins(name):
    """Names are converted with each segment's syllables remembered: the same as pypinyin
    gives, the first time and the next (重庆 is chongqing, 长江 changjiang, as phrases)."""
    from pypinyin import lazy_pinyin

    expected = lazy_pinyin(name, v_to_u=False)
    assert syllables(name) == expected
    assert syllables(name) == expected
