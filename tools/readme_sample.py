"""The README's sample of what `make run` prints, produced by running it, so it cannot drift.

    .venv/bin/python tools/readme_sample.py          # rewrite the sample in README.md
    .venv/bin/python tools/readme_sample.py --check  # exit 1 if README.md is out of date

Runs `kg ingest seeds/ --examples` into a fresh data dir, in a pseudo-terminal (the tables
a user sees, not the TSV a pipe gets), and keeps the titles and rows: table borders and
headers, the Cypher each example echoes, and the lines with timings (they change from run
to run) are trimmed.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
KG = REPO / ".venv" / "bin" / "kg"
START = "What `make run` prints on the two seed articles (trimmed):\n\n```text\n"
END = "```\n"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Cypher the examples echo before their answers (the README shows the question and rows).
_CYPHER = re.compile(r"^(MATCH|OPTIONAL|WHERE|WITH|RETURN|ORDER|LIMIT|UNWIND)\b")
_BOX = "┌┏└┗├┡╭╰─━┬┳┴┻┼╇┐┓┘┛┤┩┃"


def sample() -> str:
    """What `make run` prints to a terminal on the seeds, trimmed."""
    with tempfile.TemporaryDirectory() as data_dir:
        main, child = pty.openpty()
        env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "xterm"}
        try:
            done = subprocess.run(
                [str(KG), "ingest", "seeds/", "--examples", "--data-dir", data_dir],
                cwd=REPO, env=env, stdout=child, stderr=subprocess.DEVNULL, timeout=600,
            )  # fmt: skip
            os.close(child)
            raw = b""
            while True:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the terminal closed: everything was read
                    break
                if not chunk:
                    break
                raw += chunk
        finally:
            os.close(main)
            subprocess.run([str(KG), "stop", "--data-dir", data_dir], capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"kg ingest seeds/ exited {done.returncode}")
    lines = _ANSI.sub("", raw.decode("utf-8").replace("\r\n", "\n")).splitlines()
    kept = [
        line.rstrip()
        for line in lines
        if not ((line and line[0] in _BOX) or _CYPHER.match(line) or "seconds" in line)
        and "progress" not in line
    ]
    return "\n".join(kept).strip("\n") + "\n"


def with_sample(readme: str, text: str) -> str:
    start = readme.index(START) + len(START)
    end = readme.index(END, start)
    return readme[:start] + text + readme[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if README.md is stale")
    args = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    fresh = with_sample(readme, sample())
    if args.check:
        if fresh != readme:
            print("README.md: the sample of `make run` is stale; run tools/readme_sample.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
