"""Index-time Chinese analysis: tokens per second, rjieba against jieba, in the same run.

Both runs use the same analyzer (search.analysis.Analyzer: normalising, the domain's words,
tiling, names as pinyin) and differ only in the segmenter underneath: rjieba (the Rust port,
what the project uses) or jieba 0.42.1 (pure Python, the `bench` extra of pyproject.toml).
The text is a corpus of talent profiles made up here from a fixed seed: a name, home village,
work history, skills and a note, 150 to 250 characters each, as recruiters will search them.

For each segmenter it reports the dictionary load, then the best of --repeat passes over the
corpus (CPU time of this process, time.process_time): profiles, characters and tokens per
second, and the segmentation alone (tokenize in search mode) to separate the library's cost
from the analyzer's. Each pass starts with the analyzer's caches empty (lines, clauses, words,
names and pinyin it remembers), as a rebuild in a fresh process does. It also checks that
both produce the same tokens for every profile. Without jieba installed, only rjieba is
measured.

    .venv/bin/python bench/analysis.py [--profiles 2000] [--repeat 3] [--json]
"""

import argparse
import importlib.util
import logging
import random
import sys
import time

from common import ROOT, machine, print_table, write_results

sys.path.insert(0, str(ROOT))

from search.analysis import Analyzer  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾单欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红海燕春梅"
VILLAGES = "石桥村 柳河村 青山村 杨家湾村 大坪村 龙潭社区 白沙村 新民村 高峰村 三合村".split()
CITIES = "深圳 广州 东莞 杭州 宁波 苏州 上海 厦门 佛山 温州".split()
JOBS = [
    "在{city}一家电子厂任生产线班组长，负责{n}人的排班和质量检查",
    "在{city}从事农村电商，开网店销售家乡土特产，年销售额{n}万元",
    "在{city}承包工程，持有二级建造师证书，熟练使用CAD和Excel",
    "在{city}经营物流公司，开发了配送APP，带动{n}名老乡就业",
    "在{city}做5G基站维护，任技术主管，签订劳动合同{n}年",
    "回乡前在{city}学习生猪养殖和种植技术，是远近闻名的致富能手",
]
NOTES = [
    "参加过村级后备干部培训，考核合格，有返乡意愿。",
    "按时参加主题党日和三会一课，每月报告动态，积分{n}分。",
    "通过红色包裹自学党章和党的二十大报告，完成微党课{n}节。",
    "愿意回村参加两委换届，家人支持，希望带领乡亲发展电子商务。",
    "年度民主评议为优秀，结对联系困难党员{n}户，开展谈心谈话。",
    "曾配合同事完成台账整理，熟悉一村一表，学时达到{n}学时。",
]


def corpus(count: int, seed: int = 20261122) -> list[tuple[str, str]]:
    """(name, text) pairs: one made-up talent profile each."""
    rng = random.Random(seed)
    profiles = []
    for _ in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        parts = [f"{name}，{rng.choice(VILLAGES)}人，{rng.randint(1970, 1998)}年出生。"]
        for job in rng.sample(JOBS, k=rng.randint(2, 3)):
            parts.append(job.format(city=rng.choice(CITIES), n=rng.randint(2, 60)) + "。")
        parts.append(rng.choice(NOTES).format(n=rng.randint(4, 98)))
        profiles.append((name, "".join(parts)))
    return profiles


class JiebaSegmenter:
    """jieba.Tokenizer behind the methods the analyzer uses of rjieba.Jieba."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()

    def cut(self, text):
        return self.tokenizer.lcut(text)

    def tokenize(self, text, mode="default"):
        return self.tokenizer.tokenize(text, mode=mode)

    def add_word(self, word, freq, tag):
        return self.tokenizer.add_word(word, freq, tag)

    def has_word(self, word):
        return self.tokenizer.FREQ.get(word, 0) > 0


def rjieba_segmenter():
    import rjieba

    return rjieba.Jieba()


def best_of(repeat: int, run, before=lambda: None) -> tuple[float, object]:
    """The lowest CPU time of `repeat` calls (each after `before`), and the last call's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        before()
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def measure(label: str, make_segmenter, profiles, repeat: int) -> dict:
    start = time.process_time()
    analyzer = Analyzer(make_segmenter())
    analyzer.index_tokens("预热", ["预热"])  # first use loads OpenCC and pypinyin
    load = time.process_time() - start

    def analyse():
        return [analyzer.index_tokens(text, [name]) for name, text in profiles]

    def segment():
        return [list(analyzer.segmenter.tokenize(text, mode="search")) for _, text in profiles]

    seconds, tokens = best_of(repeat, analyse, before=analyzer.cache_clear)
    segment_seconds, _ = best_of(repeat, segment)
    count = sum(map(len, tokens))
    characters = sum(len(text) for _, text in profiles)
    return {
        "segmenter": label,
        "load_seconds": round(load, 2),
        "seconds": round(seconds, 3),
        "profiles_per_second": round(len(profiles) / seconds),
        "characters_per_second": round(characters / seconds),
        "tokens": count,
        "tokens_per_second": round(count / seconds),
        "segmentation_seconds": round(segment_seconds, 3),
        "_tokens": tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()

    facts = machine()
    profiles = corpus(args.profiles)
    runs = [measure("rjieba", rjieba_segmenter, profiles, args.repeat)]
    if importlib.util.find_spec("jieba"):
        runs.append(measure("jieba", JiebaSegmenter, profiles, args.repeat))
    tokens = [run.pop("_tokens") for run in runs]
    characters = sum(len(text) for _, text in profiles)
    print(f"{len(profiles)} profiles, {characters} characters, best of {args.repeat}, CPU time")
    header = ("segmenter", "load s", "analysis s", "tokens/s", "profiles/s", "segmentation s")
    rows = [
        (
            run["segmenter"],
            run["load_seconds"],
            run["seconds"],
            run["tokens_per_second"],
            run["profiles_per_second"],
            run["segmentation_seconds"],
        )
        for run in runs
    ]
    print_table(header, rows)
    data = {"machine": facts, "profiles": len(profiles), "characters": characters, "runs": runs}
    if len(runs) == 2:
        same = sum(a == b for a, b in zip(*tokens, strict=True))
        ratio = runs[1]["seconds"] / runs[0]["seconds"]
        segmentation_ratio = runs[1]["segmentation_seconds"] / runs[0]["segmentation_seconds"]
        print(f"analysis: rjieba {ratio:.1f}x jieba; segmentation alone: {segmentation_ratio:.1f}x")
        print(f"same tokens for {same} of {len(profiles)} profiles")
        data.update(
            ratio=round(ratio, 2),
            segmentation_ratio=round(segmentation_ratio, 2),
            same_tokens=same,
        )
    else:
        print("jieba is not installed (the bench extra): rjieba only")
    if args.json:
        print(write_results("analysis", data))


if __name__ == "__main__":
    main()
