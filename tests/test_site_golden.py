"""The fixture catalogue builds into exactly the golden site (see tests/golden.py)."""
import difflib

from golden import build_reduced, read_golden


def test_site_matches_golden():
    built, golden = build_reduced(), read_golden()
    assert sorted(built) == sorted(golden), "page set changed: run scripts/regen_golden.py if intended"
    for rel in golden:
        if built[rel] != golden[rel]:
            diff = "".join(difflib.unified_diff(golden[rel].splitlines(True), built[rel].splitlines(True), "golden", "built", n=2))
            raise AssertionError(f"{rel} differs from the golden copy (scripts/regen_golden.py if intended):\n{diff[:3000]}")
