#!/usr/bin/env bash
# Regenerate constraints.txt: the newest versions pyproject.toml allows, resolved in a fresh
# environment. CI installs these (the README's commands too) and also runs the suite against
# whatever is newest on the day, so a new release that breaks gkml shows as a red CI here.
set -euo pipefail
cd "$(dirname "$0")/.."
env_dir=$(mktemp -d)
trap 'rm -rf "$env_dir"' EXIT
python3 -m venv "$env_dir"
"$env_dir/bin/pip" install -q --upgrade pip
"$env_dir/bin/pip" install -q '.[test]'
{
  echo "# The versions gkml is tested with (pip install -c constraints.txt -e '.[test]')."
  echo "# Regenerate with scripts/lock.sh; CI also tests the newest versions pyproject.toml allows."
  "$env_dir/bin/pip" freeze --exclude gkml
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages"
