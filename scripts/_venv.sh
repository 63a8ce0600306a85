# Shared by scripts/run and scripts/test: make .venv and install the locked packages once.
# Usage: ensure_venv <lock file> <pip extra or empty>
set -euo pipefail

# pip, without the per-package notes some machines' index settings print.
quiet_pip() {
  .venv/bin/python -m pip -q "$@" 2> >(grep -v "^WARNING: Location" >&2)
}

# The interpreter: $PYTHON when set; otherwise Python 3.12 where the machine has one (on PATH,
# Debian's, or pyenv's), else python3. Not 3.11 when there is a choice: under a sustained
# mixed load the app on CPython 3.11 died with a segmentation fault every few minutes, and on
# 3.12 it did not (docs/resilience.md, "Which Python").
pick_python() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for candidate in python3.12 /usr/bin/python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  echo python3
}

python_version() { "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null; }

ensure_venv() {
  local lock_file=$1 extra=${2:-}
  local python
  python=$(pick_python)
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Pitch-A-Seat needs Python 3.11 or newer (set PYTHON=/path/to/python3.12)" >&2
    exit 1
  fi
  # A .venv made by another interpreter is made again.
  if [ -x .venv/bin/python ] && [ "$(python_version .venv/bin/python)" != "$(python_version "$python")" ]; then
    echo "Making .venv again with Python $(python_version "$python") (it had $(python_version .venv/bin/python))"
    rm -rf .venv
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
