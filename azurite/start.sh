#!/usr/bin/env bash
# Starts the pinned Azurite storage emulator on loopback, installing it first if needed.
#
#   azurite/start.sh DATA_DIR [BLOB_PORT QUEUE_PORT TABLE_PORT [AZURITE_OPTION...]]
#
# Ports default to Azurite's own (10000-10002), which is what "UseDevelopmentStorage=true" means. Options after
# the ports go to Azurite as they are; with --inMemoryPersistence (the scale tests) DATA_DIR is not used.
# The script execs Azurite, so the caller's PID is Azurite's: stopping it is one kill.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_dir="${1:?usage: azurite/start.sh DATA_DIR [BLOB_PORT QUEUE_PORT TABLE_PORT]}"
blob_port="${2:-10000}"
queue_port="${3:-10001}"
table_port="${4:-10002}"
shift $(( $# < 4 ? $# : 4 ))

# Test projects start in parallel; the lock keeps two of them from running npm in one folder at once.
(
  flock 9
  if [ ! -x "$here/node_modules/.bin/azurite" ]; then
    echo "Installing Azurite (npm ci) ..." >&2
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
) 9>"$here/.install.lock"

storage=(--location "$data_dir")
case " $* " in
  *" --inMemoryPersistence "*) storage=() ;; # Azurite refuses a --location with it.
  *) mkdir -p "$data_dir" ;;
esac
# --skipApiVersionCheck: the Azure SDKs may speak a newer service version than this Azurite knows;
# the operations AgentSilo uses are the same in both.
exec "$here/node_modules/.bin/azurite" \
  --silent \
  "${storage[@]}" \
  --blobHost 127.0.0.1 --blobPort "$blob_port" \
  --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" \
  --skipApiVersionCheck \
  --disableTelemetry \
  "$@"
