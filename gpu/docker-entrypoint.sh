#!/bin/sh
# The GPU backend image's roles:
#   serve [flags…]   the server (Cog predictions, /generate, /health-check, /metrics) with Wan 2.2
#   bench [n] [flags…]  start as serve would, render n videos (default 3), print the measurements, exit
#   anything else    run as a command (a shell, nvidia-smi)
# Defaults below; a flag given after the role wins (the last of a repeated flag counts).
set -eu
DEFAULTS="--renderer wan2.2 --host 0.0.0.0 --port 7001 --cache-dir /var/cache/leoma/weights --python /opt/venv/bin/python --worker-dir /app/gpu/worker"
case "${1:-serve}" in
  serve) shift || true; exec node --enable-source-maps dist/gpu/server/main.js $DEFAULTS "$@" ;;
  bench)
    shift
    n=3
    case "${1:-}" in [0-9]*) n="$1"; shift ;; esac
    exec node --enable-source-maps dist/gpu/server/main.js $DEFAULTS --bench "$n" "$@" ;;
  *) exec "$@" ;;
esac
