"""The CI integration end to end: action.yml's steps, scripts/ci-audit.sh and docs/ci.md.

Nothing here trusts a description: the composite action is run step by step the way a runner
would (expressions substituted, inputs passed through the environment, outputs read back from
$GITHUB_OUTPUT), the recipes' commands are run from the code blocks of docs/ci.md, and every
run audits a site served on 127.0.0.1. Steps that need the internet (setup-python, pip install
from PyPI, upload-artifact, the cache) are checked for their configuration and not executed:
trustaudit is already installed in the test environment.

There is no YAML library among the dependencies, so a small reader for the YAML subset these
files use is below; when PyYAML happens to be installed, it must agree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from auditor.config import load_config
from auditor.registry import load_specs
from tests.test_cli import COOKIE_SECRET, HEADER_SECRET, ProtectedHandler, QuietHandler, serve

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "ci-audit.sh"
DOCS = ROOT / "docs" / "ci.md"
CI_SITE = ROOT / "tests" / "fixtures" / "ci-site"
BIN = str(Path(sys.executable).parent)
ACTION_INPUTS = {"target", "site-url", "fail-on", "fail-under", "baseline", "args",
                 "python-version", "report-dir"}

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


# --------------------------------------------------------------------------- a YAML subset


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index]
    return line


def _scalar(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        assert text.endswith("'"), text
        return text[1:-1].replace("''", "'")
    return text


_KEY = re.compile(r"^([A-Za-z0-9_.-]+):(?: (.*))?$")


def _block(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[Any, int]:
    if lines[i][1].startswith("- ") or lines[i][1] == "-":
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _mapping(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        match = _KEY.match(lines[i][1])
        assert match, f"not a key: {lines[i][1]!r}"
        key, rest = match.group(1), (match.group(2) or "").strip()
        i += 1
        if rest:
            assert rest[0] not in "[{|>&*!", f"unsupported YAML: {rest!r}"
            out[key] = _scalar(rest)
        elif i < len(lines) and (lines[i][0] > indent
                                 or (lines[i][0] == indent and lines[i][1].startswith("- "))):
            out[key], i = _block(lines, i, lines[i][0])
        else:
            out[key] = None
    assert i == len(lines) or lines[i][0] < indent, f"bad indentation at {lines[i]!r}"
    return out, i


def _sequence(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
        content = lines[i][1][2:].lstrip()
        column = indent + len(lines[i][1]) - len(content)
        if _KEY.match(content):
            lines[i] = (column, content)
            item, i = _mapping(lines, i, column)
        else:
            item, i = _scalar(content), i + 1
        out.append(item)
    return out, i


def read_yaml(text: str) -> Any:
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw).rstrip()
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    value, end = _block(lines, 0, lines[0][0])
    assert end == len(lines)
    try:
        import yaml
    except ImportError:
        return value
    assert _stringify(yaml.safe_load(text)) == value  # the subset reader reads YAML as YAML does
    return value


def _stringify(value: Any) -> Any:
    if isinstance(value, dict):
        return {("on" if k is True else str(k)): _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    return None if value is None else str(value)


def doc_blocks(kind: str) -> list[str]:
    """The code blocks of docs/ci.md marked ``<!-- test: KIND -->``, in order."""
    text = DOCS.read_text("utf-8")
    blocks = re.findall(rf"<!-- test: {kind} -->\n```\w+\n(.*?)```", text, re.S)
    assert blocks, kind
    return blocks


# --------------------------------------------------------------------------- a runner


@dataclass
class Runner:
    """Runs GitHub Actions steps locally: expressions, env, outputs, if-conditions."""

    workspace: Path
    env: dict[str, str]
    secrets: Mapping[str, str] = field(default_factory=dict)
    ref: str = "refs/heads/main"
    log: list[str] = field(default_factory=list)
    failed: bool = False
    skipped_uses: list[dict[str, Any]] = field(default_factory=list)

    def expression(self, text: str, inputs: Mapping[str, str],
                   outputs: Mapping[str, Mapping[str, str]]) -> str:
        def value(match: re.Match[str]) -> str:
            expr = match.group(1).strip()
            if expr.startswith("inputs."):
                return inputs[expr[7:]]
            if expr.startswith("steps."):
                step, _, name = expr[6:].partition(".outputs.")
                return outputs.get(step, {}).get(name, "")
            if expr.startswith("secrets."):
                return self.secrets[expr[8:]]
            known = {"github.action_path": str(ROOT), "github.run_id": "42",
                     "github.event.number": "7", "github.ref": self.ref}
            return known[expr]

        return re.sub(r"\$\{\{(.*?)\}\}", value, text)

    def condition(self, text: str | None) -> bool:
        if text is None:
            return not self.failed
        expr = text.strip()
        if expr.startswith("${{"):
            expr = expr[3:-2].strip()
        result = True
        for term in (t.strip() for t in expr.split("&&")):
            if term in ("always()", "!cancelled()"):
                continue
            if term == "success()":
                result = result and not self.failed
                continue
            match = re.fullmatch(r"github\.ref == '([^']*)'", term)
            assert match, f"unsupported condition {term!r}"
            result = result and self.ref == match.group(1)
        return result

    def run_steps(self, steps: list[dict[str, Any]], inputs: Mapping[str, str]) -> int:
        outputs: dict[str, dict[str, str]] = {}
        code = 0
        for step in steps:
            if not self.condition(step.get("if")):
                continue
            if "uses" in step:
                if step["uses"].startswith("trustaudit/trustaudit@"):
                    code = self.run_action(step.get("with") or {}, inputs, outputs) or code
                else:
                    self.skipped_uses.append(step)
                continue
            out_file = self.workspace.parent / f"output-{len(self.log)}.txt"
            out_file.write_text("")
            env = {**self.env, "GITHUB_OUTPUT": str(out_file), "GITHUB_ACTION_PATH": str(ROOT)}
            for name, raw in (step.get("env") or {}).items():
                env[name] = self.expression(raw, inputs, outputs)
            command = self.expression(step["run"], inputs, outputs)
            assert step.get("shell", "bash") == "bash"
            proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command],
                                  cwd=self.workspace, env=env, capture_output=True, text=True,
                                  timeout=300)
            self.log.append(proc.stdout + proc.stderr)
            if "id" in step:
                pairs = (line.partition("=") for line in out_file.read_text().splitlines())
                outputs[step["id"]] = {k: v for k, _, v in pairs}
            if proc.returncode != 0:
                self.failed = True
                code = proc.returncode
        return code

    def run_action(self, with_: Mapping[str, str], caller_inputs: Mapping[str, str],
                   caller_outputs: Mapping[str, Mapping[str, str]]) -> int:
        action = read_yaml(ACTION.read_text("utf-8"))
        unknown = set(with_) - set(action["inputs"])
        assert not unknown, f"inputs the action does not declare: {unknown}"
        inputs = {name: spec.get("default") or "" for name, spec in action["inputs"].items()}
        inputs |= {k: self.expression(v, caller_inputs, caller_outputs) for k, v in with_.items()}
        steps = []
        for step in action["runs"]["steps"]:
            if "pip install" in step.get("run", ""):
                assert '"$GITHUB_ACTION_PATH"' in step["run"]  # installs this checkout
                continue  # already installed here (no network in tests)
            steps.append(step)
        return self.run_steps(steps, inputs)


def make_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "TRUSTAUDIT_"))}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["HOME"] = str(tmp_path)
    env.update(extra)
    return env


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A copy of the fixture site the test may break."""
    copy = tmp_path / "site"
    shutil.copytree(CI_SITE, copy)
    return copy


@pytest.fixture()
def site_url(site: Path) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    path.mkdir()
    return path


def gate_line(output: str) -> str:
    """The verdict line trustaudit printed (the last line starting with "gate ")."""
    lines = [line for line in output.splitlines() if line.startswith("gate ")]
    assert lines, output
    return lines[-1]


# --------------------------------------------------------------------------- action.yml


def test_action_yml_declares_the_inputs_and_steps() -> None:
    action = read_yaml(ACTION.read_text("utf-8"))
    assert set(action["inputs"]) == ACTION_INPUTS
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python", "actions/upload-artifact"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "${{ inputs.report-dir }}"
    assert upload["if"] == "${{ !cancelled() }}"  # also after a failed gate
    assert steps[-1]["name"] == "Gate" and "TRUSTAUDIT_EXIT_CODE" in steps[-1]["run"]
    for step in steps:  # inputs reach shells through the environment, never spliced in
        assert "${{" not in step.get("run", ""), step
        assert step.get("shell", "bash") == "bash"
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text("utf-8")))
    assert used == ACTION_INPUTS


def test_action_failing_gate(tmp_path: Path, site_url: str, workspace: Path) -> None:
    summary = tmp_path / "step-summary.md"
    runner = Runner(workspace, make_env(tmp_path, GITHUB_ACTIONS="true",
                                        GITHUB_STEP_SUMMARY=str(summary)))
    code = runner.run_action({"target": site_url, "fail-on": "high"}, {}, {})
    assert code == 1 and runner.failed
    audit_log = runner.log[0]
    line = gate_line(audit_log)
    assert line.startswith("gate failed: ") and "at or above high: " in line
    assert "https" in line and "returns-policy" in line  # both critical over plain http
    assert "::error title=trustaudit gate::gate failed: " in audit_log
    report_dir = workspace / "trustaudit-report"
    root = ET.parse(report_dir / "junit.xml").getroot()
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert {"https", "returns-policy"} <= failed
    markdown = (report_dir / "summary.md").read_text("utf-8")
    assert markdown.startswith("### trustaudit: ❌ gate failed")
    assert summary.read_text("utf-8") == markdown
    assert (report_dir / "index.html").is_file()
    assert [s["uses"].split("@")[0] for s in runner.skipped_uses] == [
        "actions/setup-python", "actions/upload-artifact"]


def test_action_passing_gate_with_args_baseline_and_protected_preview(
        tmp_path: Path, site: Path, workspace: Path) -> None:
    args = (f'--wait 30 --header "X-Preview-Token: {HEADER_SECRET}" '
            f"--cookie 'preview={COOKIE_SECRET}' --select ALL --ignore social-proof")
    for url in serve(site, ProtectedHandler):
        first = Runner(workspace, make_env(tmp_path, GITHUB_ACTIONS="true"))
        code = first.run_action({"target": url, "fail-on": "high, faq", "args": args,
                                 "baseline": "previous/report.json", "report-dir": "out"}, {}, {})
        assert code == 1
        assert "::notice title=trustaudit::no baseline at previous/report.json yet" in first.log[0]
        shutil.copytree(workspace / "out", workspace / "previous")
        second = Runner(workspace, make_env(tmp_path, GITHUB_ACTIONS="true"))
        code = second.run_action({"target": url, "fail-on": "high, faq", "args": args,
                                  "baseline": "previous/report.json", "report-dir": "out"},
                                 {}, {})
    assert code == 0 and not second.failed, second.log
    assert ("gate passed: baseline (new failures at or above high or among faq): "
            "no new failures") in second.log[0]
    report = json.loads((workspace / "out" / "report.json").read_text())
    assert report["crawl"]["pages"] >= 8  # header and cookie reached the protected preview
    assert not any(f["category"] == "social-proof" for f in report["findings"])
    for path in (workspace / "out").rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            assert HEADER_SECRET not in text and COOKIE_SECRET not in text, path


def test_ci_audit_script_without_github(tmp_path: Path, site_url: str, workspace: Path) -> None:
    def script(**env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(SCRIPT)], cwd=workspace, capture_output=True,
                              text=True, timeout=300, env=make_env(tmp_path, **env))

    passed = script(TRUSTAUDIT_TARGET=site_url, TRUSTAUDIT_FAIL_ON="contact-page privacy-policy")
    assert passed.returncode == 0, passed.stderr
    assert "gate passed: no failed check among contact-page, privacy-policy" in passed.stdout
    assert not any(line.startswith("::") for line in passed.stdout.splitlines())
    under = script(TRUSTAUDIT_TARGET=site_url, TRUSTAUDIT_FAIL_UNDER="99",
                   TRUSTAUDIT_BASELINE="trustaudit-report")
    assert under.returncode == 1 and "is under 99" in under.stdout
    deferred = script(TRUSTAUDIT_TARGET=site_url, TRUSTAUDIT_FAIL_ON="nonsense",
                      TRUSTAUDIT_DEFER_EXIT="true", GITHUB_OUTPUT=str(tmp_path / "out.txt"))
    assert deferred.returncode == 0  # the code is handed to the next step ...
    assert (tmp_path / "out.txt").read_text().splitlines() == [
        "exit-code=2", "report-dir=trustaudit-report"]  # ... a usage error
    folder = script(TRUSTAUDIT_TARGET=str(CI_SITE), TRUSTAUDIT_SITE_URL="https://c.example",
                    TRUSTAUDIT_REPORT_DIR="folder-report")
    assert folder.returncode == 0
    report = json.loads((workspace / "folder-report" / "report.json").read_text())
    assert report["target"]["mode"] == "folder"
    assert report["target"]["site_url"] == "https://c.example"


# --------------------------------------------------------------------------- docs/ci.md


def _expect(expected: list[str], actual: list[str]) -> None:
    """Expected lines appear in order; a line "..." skips lines, "..." in a line stands for
    any text."""
    position = 0
    for line in expected:
        if line == "...":
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in line.split("...")))
        for index in range(position, len(actual)):
            if pattern.fullmatch(actual[index]):
                position = index + 1
                break
        else:
            raise AssertionError(f"expected {line!r} in:\n" + "\n".join(actual))


def test_docs_try_it_as_a_new_user(tmp_path: Path) -> None:
    """The console sessions of 'Try it' run as shown, failing and passing gates included."""
    cwd = tmp_path / "try"
    cwd.mkdir()
    shutil.copytree(ROOT / "examples", cwd / "examples")
    env = make_env(tmp_path)
    last = 0
    for block in doc_blocks("try"):
        commands: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
        for command, expected in commands:
            if command == "echo $?":
                assert expected == [str(last)], (command, expected, last)
                continue
            proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=300)
            last = proc.returncode
            _expect(expected, (proc.stdout + proc.stderr).splitlines())


def test_docs_config_example_is_valid(tmp_path: Path) -> None:
    [block] = doc_blocks("config")
    path = tmp_path / "trustaudit.toml"
    path.write_text(block, encoding="utf-8")
    values = load_config(path, load_specs(), env={"PREVIEW_TOKEN": "t"})
    assert values["fail_on"] == ("high", "cookie-consent")
    assert values["headers"] == ("X-Preview-Token: t",)


def test_docs_github_workflow(tmp_path: Path, site: Path, workspace: Path) -> None:
    """The documented workflow, run job step by step: the action audits the preview; main keeps
    its report as the next baseline; a regression after that fails the job."""
    [block] = doc_blocks("github")
    workflow = read_yaml(block)
    steps = workflow["jobs"]["audit"]["steps"]
    audit = next(s for s in steps if s.get("uses", "").startswith("trustaudit/trustaudit@"))
    assert set(audit["with"]) <= ACTION_INPUTS
    secrets = {"PREVIEW_TOKEN": HEADER_SECRET}

    def job(url: str, ref: str) -> Runner:
        step = dict(audit, **{"with": dict(audit["with"], target=url)})
        runner = Runner(workspace, make_env(tmp_path, GITHUB_ACTIONS="true"), secrets, ref)
        runner.run_steps([step if s is audit else s for s in steps], {})
        return runner

    class TokenOnly(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("X-Preview-Token") != HEADER_SECRET:
                self.send_error(401)
                return
            super().do_GET()

    for url in serve(site, TokenOnly):
        first = job(url, "refs/heads/main")  # no baseline yet: fail-on high trips
        assert first.failed and "no baseline at last-deploy/report.json yet" in first.log[0]
        assert (workspace / "last-deploy" / "report.json").is_file()  # kept for next time
        second = job(url, "refs/pull/7/merge")
        assert not second.failed, second.log
        (site / "privacy.html").unlink()
        third = job(url, "refs/pull/8/merge")
    assert third.failed
    line = gate_line(third.log[0])
    assert line.startswith("gate failed: baseline (new failures at or above high): ")
    assert "privacy-policy" in line
    skipped = [s["uses"].split("@")[0] for s in third.skipped_uses]
    assert skipped[:2] == ["actions/checkout", "actions/cache/restore"]


def test_docs_gitlab_job(tmp_path: Path, site: Path, site_url: str, workspace: Path) -> None:
    [block] = doc_blocks("gitlab")
    job = read_yaml(block)["trustaudit"]
    assert job["artifacts"]["reports"]["junit"] == "trustaudit-report/junit.xml"
    assert job["artifacts"]["when"] == "always" and job["cache"]["when"] == "always"
    script = [line for line in job["script"] if not line.startswith("pip install")]
    assert job["script"][0] == "pip install trustaudit"
    env = make_env(tmp_path, PREVIEW_URL=site_url, CI_COMMIT_BRANCH="main",
                   CI_DEFAULT_BRANCH="main", CI_COMMIT_REF_SLUG="main")

    def pipeline() -> tuple[int, str]:
        # GitLab runs the script lines in one shell and stops at the first failing one; the
        # after_script runs in a new shell whatever happened.
        main = subprocess.run(["bash", "-e", "-c", "\n".join(script)], cwd=workspace, env=env,
                              capture_output=True, text=True, timeout=300)
        after = subprocess.run(["bash", "-c", "\n".join(job["after_script"])], cwd=workspace,
                               env=env, capture_output=True, text=True, timeout=60)
        assert after.returncode == 0, after.stderr
        return main.returncode, main.stdout + main.stderr

    code, output = pipeline()
    assert code == 1 and gate_line(output).startswith("gate failed: ")
    assert "returns-policy" in gate_line(output)
    ET.parse(workspace / job["artifacts"]["reports"]["junit"])
    code, output = pipeline()
    assert code == 0 and "gate passed: baseline" in output
    (site / "privacy.html").unlink()
    code, output = pipeline()
    assert code == 1 and "new failure" in gate_line(output)
    assert "privacy-policy" in gate_line(output)


def test_docs_shell_script(tmp_path: Path, site: Path, site_url: str, workspace: Path) -> None:
    [block] = doc_blocks("shell")
    script = tmp_path / "trustaudit-gate.sh"
    script.write_text(block)
    env = make_env(tmp_path, PREVIEW_URL=site_url)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(script)], cwd=workspace, env=env,
                              capture_output=True, text=True, timeout=300)

    first = run()
    assert first.returncode == 1
    assert gate_line(first.stdout).startswith("gate failed: ")
    assert "https" in gate_line(first.stdout)
    second = run()
    assert second.returncode == 0
    assert "gate passed: baseline (new failures at or above high): no new failures" \
           in second.stdout
    (site / "privacy.html").unlink()
    third = run()
    assert third.returncode == 1
    assert "new failure" in gate_line(third.stdout) and "privacy-policy" in gate_line(third.stdout)
    assert ET.parse(workspace / "trustaudit-report" / "junit.xml").getroot().tag == "testsuites"
    no_url = subprocess.run(["bash", str(script)], cwd=workspace, capture_output=True,
                            text=True, env={k: v for k, v in env.items() if k != "PREVIEW_URL"})
    assert no_url.returncode != 0 and "set PREVIEW_URL" in no_url.stderr


def test_yaml_reader_on_the_subset() -> None:
    text = """
# comment
a: 1   # trailing
b:
  - x
  - "quoted: yes"
  - k: v
    m: 'it''s'
c:
d: ${{ !cancelled() }}
"""
    assert read_yaml(text) == {"a": "1", "b": ["x", "quoted: yes", {"k": "v", "m": "it's"}],
                               "c": None, "d": "${{ !cancelled() }}"}
