"""Regenerate tests/golden/site from tests/fixtures/site. Run only when a change to the output is intended,
then review `git diff tests/golden` before committing."""
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from golden import GOLDEN, build_reduced  # noqa: E402

if __name__ == "__main__":
    reduced = build_reduced()
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, content in reduced.items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="")
    print(f"{len(reduced)} files written to {GOLDEN}")
