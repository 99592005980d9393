"""History of audits: kept files, run order, the series, the chart and the overview's changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from lxml import html

from auditor.errors import OutputError
from auditor.report import history
from auditor.report.render import render_site
from auditor.results import dumps
from tests.report.sample import sample_report, sample_run


def run_at(started: str) -> dict:
    return dict(sample_run(), started=started)


def variant(value: int, grade: str, https: str = "fail") -> dict:
    report = sample_report()
    report["score"].update(value=value, grade=grade)
    for finding in report["findings"]:
        if finding["id"] == "https":
            finding["status"] = https
    return report


def test_record_keeps_each_run_once(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    report, run = sample_report(), run_at("2025-01-02T03:04:05Z")
    entries, skipped = history.record(folder, report, run)
    assert len(entries) == 1 and skipped == []
    key = history.digest(report, run)
    assert sorted(p.name for p in folder.iterdir()) == [f"0001-{key}.json",
                                                        f"0001-{key}.run.json"]
    assert (folder / f"0001-{key}.json").read_text("utf-8") == dumps(report)
    again, _ = history.record(folder, report, run)  # rendering the same run twice adds nothing
    assert [e.name for e in again] == [e.name for e in entries]
    later, _ = history.record(folder, report, run_at("2025-02-01T00:00:00Z"))
    assert [e.sequence for e in later] == [1, 2]  # same verdicts, another run: a new point


def test_runs_are_ordered_by_start_time_else_by_sequence(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    history.record(folder, variant(50, "E"), run_at("2025-03-01T00:00:00Z"))
    history.record(folder, variant(40, "E"), run_at("2025-01-01T00:00:00Z"))  # an older run
    entries, _ = history.load(folder)
    assert [e.report["score"]["value"] for e in entries] == [40, 50]
    history.record(folder, variant(60, "D"), None)  # no run.json: order by sequence
    entries, _ = history.load(folder)
    assert [e.report["score"]["value"] for e in entries] == [50, 40, 60]


def test_unreadable_files_are_skipped_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    folder.mkdir()
    (folder / "0001-0123456789ab.json").write_text("{not json")
    (folder / "notes.txt").write_text("ignored: not a history name")
    entries, skipped = history.record(folder, sample_report(), sample_run())
    assert [e.sequence for e in entries] == [2] and skipped == ["0001-0123456789ab.json"]


def test_unwritable_history_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as exc:
        history.record(blocker / "hist", sample_report(), sample_run())
    assert exc.value.exit_code == 5 and "cannot write the history folder" in str(exc.value)


def test_timeline_series_change_and_chart(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    old = variant(20, "F", https="pass")
    history.record(folder, old, run_at("2025-01-01T10:00:00Z"))
    history.record(folder, variant(100, "A", https="pass"), None)  # not scored the same way
    current, run = sample_report(), sample_run()
    entries, skipped = history.record(folder, current, run)
    hist = history.timeline(entries, current, run, skipped)
    assert hist.total == 3 and [p.current for p in hist.points] == [False, False, True]
    assert [p.score for p in hist.points] == [20, 100, 34]
    # one run has no start time: all are in recorded order, labelled by time where known
    assert [p.label for p in hist.points] == ["2025-01-01 10:00", "run 2", "2025-01-02 03:04"]
    assert hist.change is not None and hist.change.new_failures == ("https",)
    assert hist.previous_label == "run 2"
    chart = hist.chart
    assert [p.x for p in hist.points] == [history.LEFT, 332.0, history.WIDTH - history.RIGHT]
    assert hist.points[1].y == history.TOP  # 100 at the top
    assert dict(chart.grid)[0] == history.HEIGHT - history.BOTTOM  # 0 at the bottom
    assert len(chart.segments) == 1 and chart.segments[0].count(",") == 3
    assert hist.description == ("Score over 3 runs: from 20 on 2025-01-01 10:00 to 34 on "
                                "2025-01-02 03:04; highest 100, lowest 20.")


def test_timeline_without_recording_appends_the_current_run(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    history.record(folder, variant(40, "E"), run_at("2025-01-01T00:00:00Z"))
    entries, _ = history.load(folder)
    hist = history.timeline(entries, sample_report(), sample_run())
    assert [p.score for p in hist.points] == [40, 34] and hist.points[-1].current
    assert [p.label for p in hist.points] == ["2025-01-01 00:00", "2025-01-02 03:04"]
    first = history.timeline([], sample_report(), sample_run())
    assert first.change is None and first.total == 1
    assert first.description == "Score over 1 run: 34 on 2025-01-02 03:04."


def test_a_run_without_score_breaks_the_line_and_the_chart_keeps_the_latest(
    tmp_path: Path,
) -> None:
    entries = []
    for i in range(70):
        report = variant(i, "F") if i != 65 else copy.deepcopy(sample_report())
        if i == 65:
            report["score"].update(value=None, grade=None)
        entries.append(history.Entry(i + 1, history.digest(report, None), "", "", report))
    hist = history.timeline(entries, entries[-1].report, None)
    assert hist.total == 70 and len(hist.points) == history.CHART_POINTS
    assert hist.points[0].score == 10 and hist.points[-1].score == 69
    assert len(hist.chart.segments) == 2  # the unscored run splits the line
    assert "(the latest 60 shown)" in hist.description


def test_history_in_the_overview(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    history.record(folder, variant(60, "D", https="pass"), run_at("2025-01-01T00:00:00Z"))
    report, run = sample_report(), sample_run()
    entries, skipped = history.record(folder, report, run)
    hist = history.timeline(entries, report, run, skipped)
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        render_site(report, out, run, extra_files={"report.json": dumps(report)}, history=hist)
        outs.append((out / "index.html").read_bytes())
    assert outs[0] == outs[1], "rendering with a history is deterministic"
    doc = html.fromstring(outs[0].decode("utf-8"))
    svg = doc.xpath("//svg[@class='history-chart']")[0]
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "history-title history-desc"
    assert doc.xpath("string(//*[@id='history-title'])") == "Score over 2 runs"
    assert "from 60 on 2025-01-01 00:00 to 34" in doc.xpath("string(//*[@id='history-desc'])")
    rows = doc.xpath("//details[@class='history-table']//tbody/tr")
    assert [r.xpath("string(th)").split(" (")[0] for r in rows] == ["2025-01-02 03:04",
                                                                   "2025-01-01 00:00"]
    text = " ".join(doc.xpath("string(//section[@aria-labelledby='history-heading'])").split())
    assert "Since the previous run (2025-01-01 00:00)" in text
    assert "Score 60 (D) → 34 (F) -26" in text
    assert "New failures (1)" in text and "Pass → Fail" in text
    assert doc.xpath("//ul[@class='changes']//a/@href") == ["checks/https.html"]


def test_overview_without_history_has_no_history_section(tmp_path: Path) -> None:
    render_site(sample_report(), tmp_path / "r", None)
    assert "history-heading" not in (tmp_path / "r" / "index.html").read_text("utf-8")


def test_check_location_refuses_history_inside_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert history.check_location(out / "history", out) is not None
    assert history.check_location(out, out) is not None
    assert history.check_location(tmp_path / "history", out) is None
    assert "replaced on every run" in (history.check_location(out / "h", out) or "")


def test_history_files_are_valid_reports(tmp_path: Path) -> None:
    folder = tmp_path / "hist"
    entries, _ = history.record(folder, sample_report(), sample_run())
    data = json.loads((folder / entries[0].name).read_text("utf-8"))
    assert data == sample_report()


def test_render_command_with_history(tmp_path: Path) -> None:
    from auditor.cli import main

    source = tmp_path / "input"
    source.mkdir()
    (source / "report.json").write_text(dumps(sample_report()), "utf-8")
    (source / "run.json").write_text(dumps(sample_run()), "utf-8")
    folder = tmp_path / "hist"
    for _ in range(2):  # the same run rendered twice is kept once
        with pytest.raises(SystemExit) as exc:
            main(["render", str(source / "report.json"), "-o", str(tmp_path / "out"),
                  "--history", str(folder)])
        assert exc.value.code == 0
    assert len(list(folder.glob("*.run.json"))) == 1
    assert "history-heading" in (tmp_path / "out" / "index.html").read_text("utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["render", str(source / "report.json"), "-o", str(tmp_path / "out"),
              "--history", str(tmp_path / "out" / "hist")])
    assert exc.value.code == 2
