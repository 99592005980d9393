"""Measure detection quality on a labelled corpus: precision, recall and F1 of ``found``.

    python -m benchmarks.detection ../shared/corpus            # table + every mismatch
    python -m benchmarks.detection ../shared/corpus --markdown # the table for docs/detection.md

The corpus layout is the one of ``shared/corpus`` (see its README): ``manifest.json`` lists the
sites, ``labels.json`` holds a human's ``present`` per site and signal, ``sites/<id>/`` is each
site's document root, audited in folder mode exactly as a user would audit it. Labels marked
``uncertain`` are left out. ``found: null`` (could not tell) counts as "not found", and is
listed among the mismatches so it is never hidden.

The same command runs on corpora this repository has never seen; nothing in trustaudit may be
written for one site of this one.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.audit import judge
from auditor.crawl.folder import crawl_folder
from auditor.crawl.options import CrawlOptions
from auditor.detect.priority import policy_priority


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            # No positives predicted or labelled: perfect if nothing was wrong.
            return 1.0 if self.fp == 0 and self.fn == 0 else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def audit_site(corpus: Path, site: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Findings by id for one corpus site, audited as a folder."""
    options = CrawlOptions(site_url=site.get("site_url", "") or "")
    entry = site.get("entry") or None
    snapshot = crawl_folder(corpus / "sites" / site["id"], options, None, policy_priority,
                            entry=entry)
    _, report = judge(snapshot)
    return {f["id"]: f for f in report["findings"]}


def describe(finding: dict[str, Any]) -> str:
    evidence = "; ".join(
        f"{e['kind']} {e['url']} {e['snippet']!r} {e['locator']}".strip()
        for e in finding["evidence"][:3]
    )
    return f"{finding['message']} [{evidence}]"


def measure(corpus: Path, only: set[str] | None = None) -> dict[str, Tally]:
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    labels = json.loads((corpus / "labels.json").read_text("utf-8"))
    tallies: dict[str, Tally] = {}
    for site in sorted(manifest, key=lambda s: s["id"]):
        site_labels = labels.get(site["id"], {})
        if not site_labels:
            continue
        try:
            findings = audit_site(corpus, site)
        except Exception as exc:  # noqa: BLE001 - report and go on with the other sites
            print(f"{site['id']}: audit failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            findings = {}
        for signal, label in sorted(site_labels.items()):
            if label.get("uncertain") or (only and signal not in only):
                continue
            tally = tallies.setdefault(signal, Tally())
            finding = findings.get(signal)
            found = finding["found"] if finding else None
            present = bool(label["present"])
            if present and found is True:
                tally.tp += 1
            elif present:
                tally.fn += 1
            elif found is True:
                tally.fp += 1
            else:
                tally.tn += 1
            if (found is True) != present or found is None:
                why = describe(finding) if finding else "no finding"
                tally.mismatches.append(
                    f"{site['id']}: labelled {'present' if present else 'absent'}"
                    f" ({label.get('evidence') or 'no evidence given'}), found={found}: {why}")
    return tallies


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(tallies: dict[str, Tally], markdown: bool) -> str:
    rows = [("signal", "TP", "FP", "FN", "TN", "precision", "recall", "F1")]
    total = Tally()
    for signal in sorted(tallies):
        t = tallies[signal]
        rows.append((signal, str(t.tp), str(t.fp), str(t.fn), str(t.tn), fmt(t.precision),
                     fmt(t.recall), fmt(t.f1)))
        total.tp, total.fp, total.fn, total.tn = (total.tp + t.tp, total.fp + t.fp,
                                                  total.fn + t.fn, total.tn + t.tn)
    rows.append(("all (micro)", str(total.tp), str(total.fp), str(total.fn), str(total.tn),
                 fmt(total.precision), fmt(total.recall), fmt(total.f1)))
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.detection", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path,
                        help="corpus folder (manifest.json, labels.json, sites/)")
    parser.add_argument("--signal", action="append", help="only these signal ids (repeatable)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--no-mismatches", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.json").is_file():
        print(f"not a corpus folder (no manifest.json): {args.corpus}", file=sys.stderr)
        return 2
    tallies = measure(args.corpus, set(args.signal) if args.signal else None)
    print(table(tallies, args.markdown))
    if not args.no_mismatches:
        mismatches = [(s, m) for s in sorted(tallies) for m in tallies[s].mismatches]
        print(f"\n{len(mismatches)} mismatches" + (":" if mismatches else ""))
        for signal, text in mismatches:
            print(f"- {signal}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
