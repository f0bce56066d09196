"""The property test of the publication gates (tests/test_gates_property.py), run longer than the
suite runs it: `python3 scripts/gates_property.py --examples 200 [--seed N]`. Each example is one
small catalogue with up to four personal numbers in random spellings, fields and attachment kinds,
and one real build. Prints what was tried; record the counts in SECURITY.md."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="catalogues built (default 200)")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    args = parser.parse_args()
    env = {**os.environ, "GKML_PROPERTY_EXAMPLES": str(args.examples), "PYTHONPATH": str(REPO / "plugins")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
               str(REPO / "tests" / "test_gates_property.py")]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    stats = "\n".join(line for line in result.stdout.splitlines() if re.search(r"passing|failing|invalid|Stopped", line))
    print(stats or result.stdout[-3000:])
    print(f"examples asked: {args.examples}; seed: {args.seed if args.seed is not None else 'random'}; "
          f"{'passed' if result.returncode == 0 else 'FAILED'} in {elapsed:.0f} s")
    if result.returncode:
        print(result.stdout[-5000:])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
