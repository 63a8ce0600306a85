# Shared by scripts/run and scripts/test: make .venv and install the locked packages once.
# Usage: ensure_venv <lock file> <pip extra or empty>
set -euo pipefail

# pip, without the per-package notes some machines' index settings print.
quiet_pip() {
  .venv/bin/python -m pip -q "$@" 2> >(grep -v "^WARNING: Location" >&2)
}

ensure_venv() {
  local lock_file=$1 extra=${2:-}
  local python=${PYTHON:-python3}
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Pitch-A-Seat needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local stamp=".venv/.installed-$(basename "$lock_file")"
  local wanted
  wanted=$(cat "$lock_file" pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing packages from $lock_file ..."
    quiet_pip install --upgrade pip
    quiet_pip install -r "$lock_file"
    quiet_pip install --no-deps -e ".${extra:+[$extra]}"
    echo "$wanted" > "$stamp"
  fi
}
