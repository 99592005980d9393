"""Configuration: discovery, every key, all errors at once (exit 4), precedence, selection, init."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from auditor.check_api import CheckSpec
from auditor.cli import main
from auditor.config import (
    KEYS,
    CheckOverride,
    ConfigErrors,
    Selection,
    Settings,
    detect_build_folder,
    find_config,
    load_config,
    merge,
    request_headers,
    selector_matches,
    starter_config,
)
from auditor.errors import EXIT_CONFIG
from auditor.registry import load_specs

SPECS = load_specs()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigErrors) as exc:
        load_config(path, SPECS, env=env or {})
    assert exc.value.exit_code == EXIT_CONFIG == 4
    return list(exc.value.errors)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return int(exc.value.code), out, err


# --------------------------------------------------------------------------- discovery


def test_find_config_walks_up_and_prefers_trustaudit_toml(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    write(tmp_path / "pyproject.toml", "[tool.trustaudit]\nmax-pages = 5\n")
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\nfix = true\n")
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()  # not ours: passed over
    write(tmp_path / "a" / "b" / "trustaudit.toml", "max-pages = 7\n")
    write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.trustaudit]\nmax-pages = 9\n")
    assert find_config(deep) == (tmp_path / "a" / "b" / "trustaudit.toml").resolve()


def test_every_key_is_read_from_trustaudit_toml(tmp_path: Path) -> None:
    path = write(tmp_path / "proj" / "trustaudit.toml", """
target = "site"
site-url = " https://shop.example "
site-kind = "saas"
max-pages = 40
max-depth = 3
timeout = 5
concurrency = 2
delay = 0.25
time-budget = 60
wait = 30
include = ["^https://shop\\\\.example/en/"]
exclude = ["/cart"]
user-agent = "team-bot/1"
header = ["X-Preview: ${PREVIEW}"]
cookie = ["session=abc${PREVIEW}"]
allow-private = true
select = ["policies", "privacy-policy"]
ignore = "shipping-info"
fail-on = ["high", "contact-page"]
fail-under = 70
baseline = "last/report.json"
out = "../reports/site"
junit = "/abs/junit.xml"
markdown = "summary.md"
json = true
quiet = true
progress = false

[checks.returns-policy]
severity = "medium"
weight = 3
[checks.faq]
weight = 0
""")
    values = load_config(path, SPECS, env={"PREVIEW": "t0k"})
    base = path.parent.resolve()
    settings = merge(values, {}, path)
    assert settings == Settings(
        target=os.path.relpath(base / "site"), site_url="https://shop.example", site_kind="saas",
        max_pages=40, max_depth=3, timeout=5.0, concurrency=2, delay=0.25, time_budget=60.0,
        wait=30.0, include=("^https://shop\\.example/en/",), exclude=("/cart",),
        user_agent="team-bot/1", headers=("X-Preview: t0k",), cookies=("session=abct0k",),
        allow_private=True, select=("policies", "privacy-policy"), ignore=("shipping-info",),
        checks=(("faq", CheckOverride(weight=0)),
                ("returns-policy", CheckOverride(severity="medium", weight=3))),
        fail_on=("high", "contact-page"), fail_under=70, baseline=base / "last/report.json",
        out=base / "../reports/site", junit=Path("/abs/junit.xml"),
        markdown=base / "summary.md", json=True, quiet=True, progress=False,
    )
    assert settings.config_file == path
    # Every documented key is exercised above.
    text = path.read_text()
    assert all(re.search(rf"^{re.escape(k.name)} =", text, re.M) for k in KEYS)


def test_pyproject_table_and_url_target(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", """
[project]
name = "shop"

[tool.trustaudit]
target = "https://preview.shop.example/"
fail-on = "high, returns-policy"
""")
    values = load_config(path, SPECS)
    assert values == {"target": "https://preview.shop.example/",
                      "fail_on": ("high", "returns-policy")}


def test_cli_flags_override_the_file() -> None:
    settings = merge({"max_pages": 5, "fail_on": ("high",), "quiet": True},
                     {"max_pages": 9, "fail_on": ("low",)})
    assert (settings.max_pages, settings.fail_on, settings.quiet) == (9, ("low",), True)
    assert settings.max_depth == Settings().max_depth


# --------------------------------------------------------------------------- errors


def test_every_error_is_reported_at_once_with_its_key(tmp_path: Path) -> None:
    path = write(tmp_path / "trustaudit.toml", """
max-pages = "many"
max_depth = 3
timeout = 0
concurrency = true
site-kind = "bank"
include = ["("]
header = ["NoColon", "X-Token: ${MISSING_TOKEN}"]
cookie = ["novalue"]
select = ["polices"]
fail-on = ["dreadful"]
fail-under = 101
allow-private = "yes"
baseline = ""
outt = "x"

[checks.returns-polcy]
weight = 1
[checks.faq]
weight = 11
severity = "urgent"
colour = "red"
""")
    errors = errors_of(path)
    where = str(path)
    expected = [
        "max-pages: expected an integer, got a string",
        "max_depth: unknown key (did you mean 'max-depth'?)",
        "timeout: 0 is not in the range 0.1..600",
        "concurrency: expected an integer, got a boolean",
        "site-kind: 'bank' is not one of shop, saas, local, content",
        "include[0]: not a regular expression: '('",
        "header[0]: expected 'Name: value' (the value is never printed)",
        "header[1]: environment variable MISSING_TOKEN is not set",
        "cookie[0]: expected 'name=value' (the value is never printed)",
        "fail-under: 101 is not in the range 0..100",
        "allow-private: expected true or false, got a string",
        "baseline: expected a path, got an empty string",
        "outt: unknown key (did you mean 'out'?)",
        "checks.returns-polcy: no check with this id (did you mean 'returns-policy'?)",
        "checks.faq.weight: expected an integer 0..10, got 11",
        "checks.faq.severity: 'urgent' is not one of critical, high, medium, low, info",
        "checks.faq.colour: unknown key (a check takes severity and weight)",
        "select: 'polices' matches no check id, id prefix or category (did you mean "
        "'policies'?)",
        "fail-on: 'dreadful' is neither a severity (critical, high, medium, low, info) nor a "
        "check id",
    ]
    assert len(errors) == len(expected)
    for line, tail in zip(errors, expected, strict=True):
        assert line.startswith(f"{where}: ")
        assert line[len(where) + 2:].startswith(tail), (line, tail)


def test_errors_in_pyproject_name_the_full_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.trustaudit]\nmax-page = 5\n")
    assert errors_of(path) == [f"{path}: tool.trustaudit.max-page: unknown key "
                               "(did you mean 'max-pages'?)"]


def test_syntax_errors_and_missing_files(tmp_path: Path) -> None:
    broken = write(tmp_path / "trustaudit.toml", "max-pages = \n")
    [error] = errors_of(broken)
    assert error.startswith(f"{broken}: not valid TOML: ")
    assert errors_of(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: config file not found"]
    no_table = write(tmp_path / "p" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert errors_of(no_table) == [f"{no_table}: no [tool.trustaudit] table"]


def test_select_and_ignore_that_leave_nothing_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "trustaudit.toml", 'select = ["faq"]\nignore = ["contact"]\n')
    assert errors_of(path) == [f"{path}: select: select and ignore leave no check to run"]


def test_header_values_are_never_printed_in_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "trustaudit.toml",
                 'header = ["Bad Name: s3cret-value"]\ncookie = ["x=s3cret;y=2"]\n')
    errors = errors_of(path)
    assert len(errors) == 2 and not any("s3cret" in e for e in errors)


def test_config_errors_exit_4_with_one_line_per_error(tmp_path: Path, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "trustaudit.toml", 'max-pages = 0\nfail-on = "dreadful"\nbogus = 1\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["audit", "."], capsys)
    assert code == 4 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("trustaudit: error: ") for line in lines)
    assert "max-pages" in lines[0] and "bogus" in lines[1] and "fail-on" in lines[2]
    code, _, err = run(["audit", ".", "--config", str(tmp_path / "missing.toml")], capsys)
    assert code == 4 and "config file not found" in err


# --------------------------------------------------------------------------- selection


def spec(check_id: str, category: str, aliases: tuple[str, ...] = ()) -> CheckSpec:
    return CheckSpec(id=check_id, category=category, severity="low", weight=1, title="t",
                     failure_title="f", fix="", func=lambda s: None,  # type: ignore[arg-type,return-value]
                     aliases=aliases)


FAKE = [spec("contact-page", "contact"), spec("contact-email", "contact"),
        spec("privacy-policy", "policies", ("privacy-link",)), spec("faq", "contact"),
        spec("acme:returns-window", "policies"), spec("privacy-policy-completeness", "privacy")]


@pytest.mark.parametrize(("selector", "ids"), [
    ("ALL", {"contact-page", "contact-email", "privacy-policy", "faq", "acme:returns-window",
             "privacy-policy-completeness"}),
    ("contact", {"contact-page", "contact-email", "faq"}),  # a category
    ("policies", {"privacy-policy", "acme:returns-window"}),
    ("privacy", {"privacy-policy-completeness"}),  # a category, never an id prefix
    ("contact-", {"contact-page", "contact-email"}),
    ("privacy-policy", {"privacy-policy"}),  # an id picks that check alone
    ("privacy-policy-", {"privacy-policy-completeness"}),  # ... a trailing dash the prefix
    ("privacy-link", {"privacy-policy"}),  # an alias
    ("acme", {"acme:returns-window"}),  # a plugin namespace
    ("acme:", {"acme:returns-window"}),
    ("contact-p", set()),  # prefixes end at a "-" or ":"
])
def test_selector_matches(selector: str, ids: set[str]) -> None:
    exact = {name for s in FAKE for name in (s.id, *s.aliases)}
    assert {s.id for s in FAKE if selector_matches(selector, s, exact)} == ids
    assert {s.id for s in Selection(select=(selector,)).apply(FAKE)} == ids


def test_selection_ignore_wins_and_overrides_apply() -> None:
    selection = Selection(select=("contact", "privacy-policy"), ignore=("faq", "privacy-policy"),
                          overrides=(("contact-page", CheckOverride(severity="critical")),
                                     ("contact-email", CheckOverride(weight=7))))
    chosen = {s.id: s for s in selection.apply(FAKE)}
    assert set(chosen) == {"contact-page", "contact-email"}
    assert (chosen["contact-page"].severity, chosen["contact-page"].weight) == ("critical", 1)
    assert (chosen["contact-email"].severity, chosen["contact-email"].weight) == ("low", 7)
    assert [s.id for s in Selection().apply(FAKE)] == sorted(s.id for s in FAKE)


def test_fail_on_aliases_become_check_ids() -> None:
    from auditor.config import canonical_fail_on

    assert canonical_fail_on(["high", "privacy-link", "faq"], FAKE) == (
        "high", "privacy-policy", "faq")


def test_cookies_join_into_one_header() -> None:
    assert request_headers(["X-A: 1", "Cookie: a=1"], ["b=2", "c=3"]) == (
        ("X-A", "1"), ("Cookie", "a=1; b=2; c=3"))
    assert request_headers(["X-A:  spaced "], []) == (("X-A", "spaced"),)


# --------------------------------------------------------------------------- build folders


def test_detect_build_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / "package.json", "{}")
    assert detect_build_folder(project) == (None, ())
    write(project / "dist" / "index.html", "<h1>x</h1>")
    assert detect_build_folder(project) == (project / "dist", ())
    write(project / "_site" / "index.html", "<h1>x</h1>")
    assert detect_build_folder(project) == (None, ("dist", "_site"))
    write(project / "index.html", "<h1>the project is a site itself</h1>")
    assert detect_build_folder(project) == (None, ())


# --------------------------------------------------------------------------- init


def test_starter_config_is_valid_and_every_key_shows_its_default(tmp_path: Path) -> None:
    text = starter_config(SPECS)
    assert tomllib.loads(text) == {}  # everything commented out
    for key in KEYS:
        assert re.search(rf"^# {re.escape(key.name)} = ", text, re.M), key.name
    # Uncomment every key: still valid, and the keys with a default keep it.
    uncommented = "\n".join(
        re.sub(r"^# (?=[a-z\[][a-z-]*(\.[a-z-]+)?( =|\]))", "", line)
        for line in text.splitlines())
    path = write(tmp_path / "trustaudit.toml", uncommented)
    values = load_config(path, SPECS, env={"TOKEN": "t", "PREVIEW_COOKIE": "c"})
    defaults = Settings()
    assert set(values) == {k.field for k in KEYS} | {"checks"}
    for key in KEYS:
        default = getattr(defaults, key.field)
        if default not in (None, "", ()) and key.kind != "path":
            assert values[key.field] == default, key.name
    assert values["out"] == path.parent.resolve() / "trustaudit-report"
    returns = next(s for s in SPECS if s.id == "returns-policy")
    assert values["checks"] == (("returns-policy",
                                 CheckOverride(returns.severity, returns.weight)),)


def test_init_writes_refuses_to_overwrite_and_forces(tmp_path: Path, capsys,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["init"], capsys)
    assert code == 0 and "trustaudit.toml" in out
    written = tmp_path / "trustaudit.toml"
    assert written.read_text() == starter_config(SPECS)
    assert load_config(written, SPECS) == {}
    written.write_text("max-pages = 3\n")
    code, _, err = run(["init"], capsys)
    assert code == 5 and "already exists" in err
    assert written.read_text() == "max-pages = 3\n"
    code, _, _ = run(["init", "--force"], capsys)
    assert code == 0 and written.read_text() == starter_config(SPECS)
    code, _, _ = run(["init", str(tmp_path / "sub" / "ci.toml")], capsys)
    assert code == 0 and (tmp_path / "sub" / "ci.toml").is_file()
