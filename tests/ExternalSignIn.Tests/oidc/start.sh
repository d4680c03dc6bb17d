#!/usr/bin/env bash
# Starts the test OpenID provider (provider.mjs, settings from the environment), installing oidc-provider first if
# needed. The script execs node, so the caller's PID is the provider's: stopping it is one kill.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Several providers start at once; the lock keeps them from running npm in one folder at the same time.
(
  flock 9
  if [ ! -f "$here/node_modules/oidc-provider/package.json" ]; then
    echo "Installing oidc-provider (npm ci) ..." >&2
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
) 9>"$here/.install.lock"

exec node "$here/provider.mjs"
