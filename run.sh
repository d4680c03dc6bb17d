#!/usr/bin/env bash
# Runs AgentSilo on this machine: Azurite (storage emulator), one silo and the API.
#
#   ./run.sh                         # API on http://localhost:5080
#   Quota__Capacity=5 ./run.sh       # any configuration key works as an environment variable
#
# Everything it writes stays under .data/ (git-ignored): Azurite's data, the development signing key,
# the local admin's password and one log file per process. Ctrl-C stops everything it started.
#
# Knobs of the script itself (not of the service):
#   CONFIGURATION=Release|Debug               build configuration (default Release)
#   AZURITE_BLOB_PORT/_QUEUE_PORT/_TABLE_PORT Azurite ports (default 10000-10002); when you set
#                                             ConnectionStrings__Storage yourself, no Azurite is started
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

data_dir="$root/.data"
log_dir="$data_dir/logs"
key_dir="$data_dir/keys"
configuration="${CONFIGURATION:-Release}"

say() { printf '%s\n' "run.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tools needed).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the HTTP status of a GET, or 000 when nothing answers.
http_status() {
  local url="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true
    return
  fi
  local rest="${url#http://}" hostport path host port line
  hostport="${rest%%/*}"; path="/${rest#*/}"
  host="${hostport%%:*}"; port="${hostport##*:}"
  [ "$host" = "$hostport" ] && port=80
  if exec 3<>"/dev/tcp/$host/$port" 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
    IFS=' ' read -r -t 5 _ line _ <&3 || true
    exec 3>&-
    printf '%s' "${line:-000}"
  else
    printf '000'
  fi
}

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is missing: install .NET SDK 10.0.401 (https://dot.net) and try again."

mkdir -p "$log_dir" "$key_dir"

# ---------------------------------------------------------------- configuration (caller's values win)
start_azurite=1
if [ -n "${ConnectionStrings__Storage:-}" ] && [ "${ConnectionStrings__Storage}" != "UseDevelopmentStorage=true" ]; then
  start_azurite=0
fi
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"
if [ "$start_azurite" = 1 ]; then
  if [ "$blob_port/$queue_port/$table_port" = "10000/10001/10002" ]; then
    export ConnectionStrings__Storage="UseDevelopmentStorage=true"
  else
    # Azurite's well-known development account, on the ports chosen above.
    account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    export ConnectionStrings__Storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  fi
fi

export Orleans__ClusterId="${Orleans__ClusterId:-agentsilo-dev}"
export Orleans__SiloPort="${Orleans__SiloPort:-11111}"
export Orleans__GatewayPort="${Orleans__GatewayPort:-30000}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# The silo is a generic host, which reads DOTNET_ENVIRONMENT.
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-$ASPNETCORE_ENVIRONMENT}"
export Auth__SigningKeyPath="${Auth__SigningKeyPath:-$key_dir/signing.pem}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"

api_urls="${Urls:-${ASPNETCORE_URLS:-http://localhost:5080}}"
api_url="${api_urls%%;*}"
api_url="${api_url/:\/\/\*/://localhost}"
api_url="${api_url/:\/\/+/://localhost}"
api_url="${api_url/:\/\/0.0.0.0/://localhost}"
api_url="${api_url%/}"
api_port="${api_url##*:}"

admin_generated=0
if [ -z "${Bootstrap__AdminUsername:-}" ] && [ -z "${Bootstrap__AdminPassword:-}" ]; then
  export Bootstrap__AdminUsername="admin"
  # Generated once and kept: the admin is only created on the first start, so the password must stay.
  password_file="$key_dir/admin-password"
  if [ ! -s "$password_file" ]; then
    (umask 077; if command -v openssl >/dev/null 2>&1; then openssl rand -hex 12; else od -An -tx1 -N12 /dev/urandom | tr -d ' \n'; fi >"$password_file")
  fi
  Bootstrap__AdminPassword="$(tr -d '\n' <"$password_file")"
  export Bootstrap__AdminPassword
  admin_generated=1
fi

# ---------------------------------------------------------------- nothing may be in the way
check_free() {
  if listening "$1"; then
    die "port $1 ($2) is already in use on this machine. Stop whatever listens there (another ./run.sh? a standalone Azurite?) or choose another port (see the top of run.sh), then try again."
  fi
}
if [ "$start_azurite" = 1 ]; then
  check_free "$table_port" "Azurite table service"
  check_free "$blob_port" "Azurite blob service"
  check_free "$queue_port" "Azurite queue service"
fi
check_free "$Orleans__SiloPort" "Orleans silo port, Orleans__SiloPort"
check_free "$Orleans__GatewayPort" "Orleans gateway port, Orleans__GatewayPort"
check_free "$api_port" "API, Urls"

# ---------------------------------------------------------------- build
say "building AgentSilo ($configuration) ..."
if ! dotnet build "$root/AgentSilo.sln" -c "$configuration" -nologo -v quiet -clp:ErrorsOnly >"$log_dir/build.log" 2>&1; then
  cat "$log_dir/build.log" >&2
  die "the build failed (full output in .data/logs/build.log)."
fi
silo_dir="$root/src/Silo/bin/$configuration/net10.0"
api_dir="$root/src/Api/bin/$configuration/net10.0"
[ -f "$silo_dir/AgentSilo.Silo.dll" ] || die "built, but $silo_dir/AgentSilo.Silo.dll is missing."
[ -f "$api_dir/AgentSilo.Api.dll" ] || die "built, but $api_dir/AgentSilo.Api.dll is missing."

# ---------------------------------------------------------------- development signing key
if [ ! -f "$Auth__SigningKeyPath" ] && command -v openssl >/dev/null 2>&1; then
  mkdir -p "$(dirname "$Auth__SigningKeyPath")"
  (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$Auth__SigningKeyPath" 2>>"$log_dir/build.log")
  say "created a development signing key (EC P-256) at ${Auth__SigningKeyPath#"$root"/}"
fi

# ---------------------------------------------------------------- process supervision
names=()
pids=()
stopping=0
tail_pid=""

stop_all() {
  stopping=1
  trap '' INT TERM
  local i pid
  if [ -n "$tail_pid" ]; then kill "$tail_pid" 2>/dev/null || true; fi
  # Newest first: API, silo, Azurite. Each child leads its own process group (setsid): kill the group.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping ${names[$i]} ..."
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
}

on_signal() {
  say "stopping (signal received)"
  stop_all
  say "stopped."
  exit 130
}
trap on_signal INT TERM
trap 'if [ "$stopping" = 0 ] && [ "${#pids[@]}" -gt 0 ]; then stop_all; fi' EXIT

# start NAME LOGFILE WORKDIR COMMAND...: runs COMMAND in its own session/process group, output to LOGFILE.
start() {
  local name="$1" log="$2" dir="$3"
  shift 3
  : >"$log"
  (cd "$dir" && exec setsid "$@" </dev/null >>"$log" 2>&1) &
  names+=("$name")
  pids+=("$!")
}

# Fails loudly when a started process has died.
check_alive() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      say "${names[$i]} exited unexpectedly. Last lines of its log (.data/logs/${names[$i]}.log):"
      tail -n 40 "$log_dir/${names[$i]}.log" >&2 || true
      return 1
    fi
  done
}

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every half second while every child is alive.
wait_until() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    check_alive || { stop_all; exit 1; }
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "gave up waiting for $what after ${seconds}s. Logs: .data/logs/"
      stop_all
      exit 1
    fi
    sleep 0.5
  done
}

api_ready() { [ "$(http_status "$api_url/health/ready")" = "200" ]; }

if [ "$start_azurite" = 1 ]; then
  say "starting Azurite on 127.0.0.1:$blob_port-$table_port (data in .data/azurite; the first run installs it with npm) ..."
  start azurite "$log_dir/azurite.log" "$root" "$root/azurite/start.sh" "$data_dir/azurite" "$blob_port" "$queue_port" "$table_port"
  wait_until 300 "Azurite" listening "$table_port"
else
  say "using the storage in ConnectionStrings__Storage (no Azurite started)"
fi

say "starting the silo (cluster '$Orleans__ClusterId', silo port $Orleans__SiloPort, gateway port $Orleans__GatewayPort) ..."
start silo "$log_dir/silo.log" "$silo_dir" dotnet "$silo_dir/AgentSilo.Silo.dll"
wait_until 180 "the silo's gateway" listening "$Orleans__GatewayPort"

say "starting the API on $api_url ..."
start api "$log_dir/api.log" "$api_dir" env ASPNETCORE_URLS="$api_urls" dotnet "$api_dir/AgentSilo.Api.dll"
wait_until 180 "$api_url/health/ready" api_ready

cat >&2 <<EOF

  AgentSilo is running at $api_url  (environment $ASPNETCORE_ENVIRONMENT, cluster $Orleans__ClusterId)
EOF
if [ "$admin_generated" = 1 ]; then
  cat >&2 <<EOF
  Local admin:  username admin   password $Bootstrap__AdminPassword   (kept in .data/keys/admin-password)
EOF
else
  cat >&2 <<EOF
  Admin:        the Bootstrap__AdminUsername / Bootstrap__AdminPassword you set
EOF
fi
shown_password='<password>'
[ "$admin_generated" = 1 ] && shown_password="$Bootstrap__AdminPassword"
cat >&2 <<EOF

  Sign in:   curl -s $api_url/auth/token -d grant_type=password -d username=$Bootstrap__AdminUsername --data-urlencode 'password=$shown_password'
  Walkthrough: README.md ("Try it").   Logs: .data/logs/{api,silo,azurite}.log   Stop: Ctrl-C

  API output follows.
EOF

# Show the API's console here; it is not a supervised child, so its exit does not stop the service.
tail -n 0 -F "$log_dir/api.log" 2>/dev/null &
tail_pid=$!

while :; do
  if ! check_alive; then
    stop_all
    say "stopped everything because a process died."
    exit 1
  fi
  sleep 1 &
  wait $! || true
done
