#!/bin/sh
# The image's one entrypoint: the first argument picks the role, so every role runs the same image.
#   api | worker | migrate | cli [args…] | any other command (e.g. sh) runs as given.
set -eu
role="${1:-api}"
[ "$#" -gt 0 ] && shift

require_secret() {
  # The migration Job mounts its Secret as optional so that a missing one ends here, with a reason,
  # instead of a pod stuck in CreateContainerConfigError until Helm times out.
  if [ -z "${DATABASE_URL:-}" ]; then
    echo "leoma $role: DATABASE_URL is not set. Create the Secret ${LEOMA_SECRET_NAME:-named by existingSecret} with DATABASE_URL, REDIS_URL and API_KEY_HASH_SECRET (see helm/leoma/README.md), then install again." >&2
    exit 78
  fi
}

case "$role" in
  api) exec node --enable-source-maps dist/src/app/main-api.js "$@" ;;
  worker) exec node --enable-source-maps dist/src/app/main-worker.js "$@" ;;
  migrate) require_secret; exec node --enable-source-maps dist/src/app/database/migrate.js "$@" ;;
  cli) exec node dist/tools/cli/leoma.js "$@" ;;
  *) exec "$role" "$@" ;;
esac
