"""The dark-pattern benchmark: reads a labelled TSV and scores the checks' own detectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.darkpatterns import main, measure, read_sample

SAMPLE = (
    "page_id\ttext\tlabel\tcategory\n"
    "1\tOnly 2 left in stock!\t1\tScarcity\n"
    "2\t\"Hurry! Sale ends in:\n\n02:59:50\"\t1\tUrgency\n"
    "3\t9 people are viewing this.\t1\tSocial Proof\n"
    "4\tNo thanks, I'd rather pay full price\t1\tMisdirection\n"
    "5\tCompetitor Price: $172.00\t1\tMisdirection\n"
    "6\tReturns Information\t0\tNot Dark Pattern\n"
    "7\t23 in stock\t0\tNot Dark Pattern\n"
    "8\tYou may cancel your membership at any time.\t1\tObstruction\n"
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.tsv"
    path.write_text(SAMPLE, "utf-8")
    return path


def test_reads_quoted_multiline_rows(sample: Path) -> None:
    rows = read_sample(sample)
    assert len(rows) == 8
    assert rows[1].text.endswith("02:59:50") and rows[1].label == 1


def test_scores_per_detector_and_overall(sample: Path) -> None:
    scores, overall = measure(read_sample(sample))
    assert (scores["low-stock"].tp, scores["low-stock"].fp, scores["low-stock"].fn) == (1, 0, 0)
    assert scores["urgency"].tp == 1 and scores["activity"].tp == 1
    # confirmshaming finds the shaming decline, not the visual interference
    assert (scores["confirmshaming"].tp, scores["confirmshaming"].fn) == (1, 1)
    assert (overall.tp, overall.fp, overall.fn) == (4, 0, 2)
    assert overall.precision == 1.0 and overall.recall == pytest.approx(4 / 6)


def test_command_prints_table_and_false_positives(sample: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(sample), "--markdown", "--misses"]) == 0
    out = capsys.readouterr().out
    assert "| low-stock | Scarcity |" in out
    assert "0 false positives" in out
    assert "Competitor Price" in out  # listed among the misses
    assert main([str(sample.parent / "missing.tsv")]) == 2
