"""`make lighthouse`: Lighthouse (mobile) on the home page, a condition page and the checker.

    .venv/bin/python -m bench.lighthouse [--keep-reports DIR]

Starts the site as production serves it (harness/server.py: gunicorn, DEBUG off, collected
static files, a fresh database with the real content), runs the npm `lighthouse` from
package.json with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), offline,
and prints the four category scores per page. Exits 1 if a page misses a target, listing
the audits that cost it points.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.server import ROOT, Server, prepare, site_env

PAGES = {"home": "/", "condition": "/conditions/leg-cramps/", "checker": "/check/"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
)


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def lighthouse_bin() -> Path:
    path = ROOT / "node_modules/.bin/lighthouse"
    if not path.exists():
        raise SystemExit("Lighthouse is not installed: run `npm ci` in the repository root.")
    return path


def run_lighthouse(url: str, out: Path, chrome: str) -> dict[str, object]:
    command = [
        str(lighthouse_bin()),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--max-wait-for-load=30000",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stdout}\n{done.stderr[-3000:]}")
    report: dict[str, object] = json.loads(out.read_text())
    return report


def scores(report: dict[str, object]) -> dict[str, int]:
    categories = report["categories"]
    assert isinstance(categories, dict)
    return {key: round((value["score"] or 0) * 100) for key, value in categories.items()}


def losing_audits(report: dict[str, object], category: str) -> list[str]:
    """The audits in a category that scored below full marks, with their titles."""
    audits = report["audits"]
    categories = report["categories"]
    assert isinstance(audits, dict) and isinstance(categories, dict)
    lines = []
    for ref in categories[category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lines.append(f"    {audit['id']} ({audit['score']:.2f}) {audit['title']} {value}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep-reports", type=Path, help="copy the JSON reports here")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if not Path(args.chrome).exists():
        raise SystemExit(f"No Chromium at {args.chrome} (apt-get install chromium).")

    failed = False
    with tempfile.TemporaryDirectory(prefix="twitchsite-lighthouse-") as tmp:
        env = site_env(f"sqlite:///{tmp}/site.sqlite3", Path(tmp) / "static")
        say("Preparing a database with the real content and the static files...")
        prepare(env)
        with Server(env, workers=2) as server:
            say(f"{'page':<12}" + "".join(f"{k:>16}" for k in TARGETS))
            for name, path in PAGES.items():
                out = Path(tmp) / f"{name}.json"
                report = run_lighthouse(server.url + path, out, args.chrome)
                got = scores(report)
                say(f"{name:<12}" + "".join(f"{got.get(k, 0):>16}" for k in TARGETS))
                for category, target in TARGETS.items():
                    if got.get(category, 0) < target:
                        failed = True
                        say(f"  {category} {got.get(category)} < {target}:")
                        for line in losing_audits(report, category):
                            say(line)
                if args.keep_reports:
                    args.keep_reports.mkdir(parents=True, exist_ok=True)
                    shutil.copy(out, args.keep_reports / out.name)
    say("MISS: a page is under its target" if failed else "PASS: every page meets the targets")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
