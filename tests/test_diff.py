"""``trustaudit diff``: appeared, disappeared and changed findings, score change, regression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.diff import ReportFileError, compare, load_report_file, render_markdown, render_text
from auditor.results import dumps
from tests.test_gates import ALL_PASS, make_report

OLD = {**ALL_PASS, "faq": "fail", "about-page": "fail", "trust-seals": "unknown"}
NEW = {"returns-policy": "pass", "contact-page": "fail", "about-page": "pass", "faq": "fail",
       "trust-seals": "pass"}


def write(path: Path, report: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(report), encoding="utf-8")
    return path


def test_compare_classifies_every_change() -> None:
    old = make_report({k: v for k, v in OLD.items() if k != "returns-policy"})
    new = make_report({k: v for k, v in NEW.items() if k != "trust-seals"})
    change = compare(old, new)
    assert [c.id for c in change.appeared] == ["returns-policy"]
    assert change.appeared[0].old is None and change.appeared[0].new == "pass"
    assert [c.id for c in change.disappeared] == ["trust-seals"]
    assert {(c.id, c.old, c.new) for c in change.changed} == {
        ("contact-page", "pass", "fail"), ("about-page", "fail", "pass")}
    assert change.changed[0].id == "contact-page"  # failures first
    assert change.new_failures == ("contact-page",)
    assert change.resolved == ("about-page",)
    assert change.regressed


def test_score_change_and_regression_by_score_alone() -> None:
    old = make_report(ALL_PASS)
    new = make_report({**ALL_PASS, "faq": "unknown", "about-page": "fail"})
    change = compare(old, new)
    assert change.old_score == 100 and change.new_score is not None and change.new_score < 100
    assert change.score_delta == change.new_score - 100
    assert change.regressed
    better = compare(new, old)
    assert not better.regressed and better.score_delta is not None and better.score_delta > 0
    assert better.resolved == ("about-page",)


def test_a_check_appearing_failing_is_a_new_failure() -> None:
    old = make_report({"returns-policy": "pass"})
    new = make_report({"returns-policy": "pass", "faq": "fail"})
    change = compare(old, new)
    assert change.new_failures == ("faq",) and change.regressed


def test_identical_reports_do_not_regress() -> None:
    report = make_report(OLD)
    change = compare(report, report)
    assert change.unchanged and not change.regressed
    assert "no change" in render_text(change)


def test_text_rendering() -> None:
    text = render_text(compare(make_report(OLD), make_report(NEW)), "old.json", "new.json")
    lines = text.splitlines()
    assert lines[0] == "trustaudit diff old.json → new.json"
    assert lines[1].startswith("  score: ") and "→" in lines[1]
    assert "  changed status (3):" in lines
    row = next(line for line in lines if "contact-page" in line)
    assert row.strip().startswith("! high") and "pass → fail" in row
    assert "No contact-page was found" in row
    resolved = next(line for line in lines if "about-page" in line)
    assert resolved.strip().startswith("+ medium") and "fail → pass" in resolved
    assert lines[-1] == "  regressed: 1 new failure: contact-page; score -9"
    assert text.endswith("\n")


def test_markdown_rendering_escapes_titles() -> None:
    old = make_report(OLD)
    new = make_report(NEW)
    new["findings"][0]["title"] = "<script>alert(1)</script> | @team"
    md = render_markdown(compare(old, new), "old", "new")
    assert md.startswith("### 🔴 trustaudit: regressed: 1 new failure: contact-page; score -9\n")
    assert "| ❌ | high | `contact-page` | pass | fail |" in md
    assert "| ✅ | medium | `about-page` | fail | pass |" in md
    assert "<script>" not in md and "&lt;script&gt;" in md and "&#64;team" in md
    assert "\\|" in md
    unchanged = render_markdown(compare(old, old))
    assert "No check changed status." in unchanged and "🟢" in unchanged


def test_load_report_file_accepts_a_report_folder_and_rejects_other_files(tmp_path: Path) -> None:
    report = make_report(OLD)
    write(tmp_path / "r" / "report.json", report)
    assert load_report_file(tmp_path / "r") == report
    (tmp_path / "bad.json").write_text('{"schema_version": 1}')
    with pytest.raises(ReportFileError, match="not a trustaudit report.json"):
        load_report_file(tmp_path / "bad.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ReportFileError, match="cannot read"):
        load_report_file(tmp_path / "broken.json")
    with pytest.raises(ReportFileError, match="file not found"):
        load_report_file(tmp_path / "missing.json")


def test_a_baseline_from_another_release_still_compares(tmp_path: Path) -> None:
    """Only what a comparison reads is required; rendering (strict) wants the whole schema."""
    report = make_report(OLD)
    report["pages"][0]["source"] = "a-source-from-a-later-release"
    path = write(tmp_path / "report.json", report)
    assert load_report_file(path) == report
    with pytest.raises(ReportFileError, match="pages/0/source"):
        load_report_file(path, strict=True)
    del report["findings"][1]["status"]
    write(path, report)
    with pytest.raises(ReportFileError, match="findings/1/status: missing"):
        load_report_file(path)


# --------------------------------------------------------------------------- the command


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return int(exc.value.code), out, err


def test_diff_command_exits_1_on_regression_and_0_otherwise(tmp_path: Path, capsys) -> None:
    old = write(tmp_path / "old" / "report.json", make_report(OLD))
    new = write(tmp_path / "new" / "report.json", make_report(NEW))
    code, out, _ = run(["diff", str(old), str(new)], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "  regressed: 1 new failure: contact-page; score -9"
    code, out, _ = run(["diff", str(tmp_path / "new"), str(tmp_path / "new")], capsys)
    assert code == 0 and "no change" in out
    fixed = write(tmp_path / "fixed.json", make_report({**NEW, "contact-page": "pass"}))
    code, out, _ = run(["diff", str(new), str(fixed)], capsys)
    assert code == 0 and "no regression; 1 resolved: contact-page" in out


def test_diff_command_markdown_to_a_file(tmp_path: Path, capsys) -> None:
    old = write(tmp_path / "old.json", make_report(OLD))
    new = write(tmp_path / "new.json", make_report(NEW))
    target = tmp_path / "out" / "diff.md"
    code, out, _ = run(["diff", str(old), str(new), "--format", "markdown", "-o", str(target)],
                       capsys)
    assert code == 1 and out == ""
    assert target.read_text("utf-8").startswith("### 🔴 trustaudit: regressed")


def test_diff_command_bad_files_exit_3_with_one_line(tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "good.json", make_report(OLD))
    (tmp_path / "other.json").write_text(json.dumps({"hello": "world"}))
    for argv in (["diff", str(tmp_path / "missing.json"), str(good)],
                 ["diff", str(good), str(tmp_path / "other.json")]):
        code, _, err = run(argv, capsys)
        assert code == 3
        assert len(err.strip().splitlines()) == 1 and err.startswith("trustaudit: error: ")
