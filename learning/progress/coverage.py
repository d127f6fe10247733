"""Video coverage: the seconds of a video a member has played, as merged [start, end] pairs.

Pure functions of lists of pairs; learning.progress credits only what they call new.
"""

from collections.abc import Iterable


def segments_merge(segments: Iterable[list[float]]) -> list[list[float]]:
    """Sorted, non-overlapping [start, end] pairs covering the same seconds."""
    merged: list[list[float]] = []
    for start, end in sorted([float(s), float(e)] for s, e in segments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def segments_length(segments: Iterable[list[float]]) -> float:
    return sum(end - start for start, end in segments)


def _uncovered(covered: list[list[float]], start: float, end: float) -> list[list[float]]:
    """The parts of [start, end] that the merged ``covered`` does not contain."""
    gaps, cursor = [], start
    for done_start, done_end in covered:
        if done_end <= cursor:
            continue
        if done_start >= end:
            break
        if done_start > cursor:
            gaps.append([cursor, done_start])
        cursor = max(cursor, done_end)
    if cursor < end:
        gaps.append([cursor, end])
    return gaps


def segments_new(
    covered: list[list[float]], played: list[list[float]], limit: float
) -> list[list[float]]:
    """The first ``limit`` seconds of ``played`` not yet in ``covered``, in video order."""
    new = []
    for start, end in segments_merge(played):
        for gap_start, gap_end in _uncovered(covered, start, end):
            take = min(gap_end - gap_start, limit)
            if take <= 0:
                return new
            new.append([gap_start, gap_start + take])
            limit -= take
    return new


def segments_subtract(segments: list[list[float]], covered: list[list[float]]) -> list[list[float]]:
    """The parts of ``segments`` that the merged ``covered`` does not contain, merged."""
    covered = segments_merge(covered)
    return [
        gap for start, end in segments_merge(segments) for gap in _uncovered(covered, start, end)
    ]
