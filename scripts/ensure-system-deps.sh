#!/usr/bin/env bash
# Makes sure this machine has what the local stand-ins and the worker need: Debian's redis-server
# (the dev/test Redis) and redis-sentinel (the Sentinel failover test), openssl (the Redis TLS test makes its certificates with it), Debian's pgbouncer (the test that runs the app through a transaction-pooling
# PgBouncer, tools/dev/pgbouncer.ts), ffmpeg (ffprobe validates videos, the reference GPU backend renders them),
# chromium (the headless browser test of the public /burns page drives it with playwright-core),
# Debian's python3 with numpy, Pillow and pytest (the GPU backend's Wan worker and its tests, run
# against stand-in torch/diffusers) and an installed node_modules matching package-lock.json. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_system_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  { command -v pgbouncer || [[ -x /usr/sbin/pgbouncer ]]; } >/dev/null || missing+=(pgbouncer)
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
  command -v chromium >/dev/null || missing+=(chromium)
  [[ -x /usr/bin/python3 ]] || missing+=(python3)
  /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
  /usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
  /usr/bin/python3 -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
  ((${#missing[@]} == 0)) && return 0

  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "ensure-system-deps: missing system packages: ${missing[*]}" >&2
    echo "ensure-system-deps: install them, e.g. sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "ensure-system-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a concurrent apt/dpkg run to release its lock instead of failing straight away.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node_modules() {
  # The lock file's hash, written after each install: a copy of node_modules (a fresh worktree
  # or clone next to an installed one) whose lock file is the same is not installed again, even
  # though its package-lock.json is newer on disk. Without the mark, npm's own hidden lock file
  # (node_modules/.package-lock.json, rewritten on every install) being older than the lock file
  # tells that the lock file changed since the last install.
  local mark=node_modules/.leoma-lock.sha256 wanted
  wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [[ -f "$mark" && "$(cat "$mark")" == "$wanted" && -f node_modules/.package-lock.json ]]; then return 0; fi
  if [[ ! -f "$mark" && -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "$wanted" >"$mark"
    return 0
  fi
  echo "ensure-system-deps: node_modules is missing or was installed from another package-lock.json; running npm ci" >&2
  # npm 11's `npm ci` refuses a lock file whose other-platform optional binaries (e.g.
  # @swc/core-darwin-arm64) the registry mirror does not serve, and then prints its whole usage
  # text; `npm install` honours the same lock file and simply skips them. Its output is kept
  # in a log and shown only when the fallback fails too.
  local log
  log="$(mktemp)"
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    echo "ensure-system-deps: npm ci refused the lock file ($(grep -m1 -i 'npm error' "$log" || echo 'no reason given')); installing from it with npm install" >&2
    if ! npm install --no-audit --no-fund; then
      cat "$log" >&2
      rm -f "$log"
      return 1
    fi
  fi
  rm -f "$log"
  echo "$wanted" >"$mark"
}

main() {
  ensure_system_packages
  ensure_node_modules
}

main "$@"
