#!/usr/bin/env bash
# Install the Debian packages named as arguments that are not installed yet.
# As root: apt-get update once, then apt-get install. Otherwise: say what to install and go on,
# so `make run` still works on a machine where someone else manages the packages.
set -euo pipefail

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian system; make sure these are installed: $*" >&2
  exit 0
fi

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: these system packages are missing: ${missing[*]}" >&2
  echo "      install them with: sudo apt-get install ${missing[*]}" >&2
  echo "      (carrying on without them)" >&2
  exit 0
fi

echo "installing system packages: ${missing[*]} (apt-get; this can take a few minutes)"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if apt-get update -qq >"$log" 2>&1 \
    && apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >>"$log" 2>&1; then
  rm -f "$log"
  echo "installed: ${missing[*]}"
else
  cat "$log" >&2
  rm -f "$log"
  echo "apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
