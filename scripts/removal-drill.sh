#!/usr/bin/env bash
# Removal drill: run a short training session, then stop and delete the middleware (process, database, training logs
# and, with a broker, its RabbitMQ topology) and show that Cerebrum and LlmServer keep serving with everything
# Cerebrum learned intact.
#
#   scripts/removal-drill.sh                 # builds the services, HTTP mode (or a broker, see below)
#
# Environment:
#   RABBITMQ_URL            amqp://user:pass@host:port/vhost of a broker to use; RABBITMQ_MANAGEMENT_URL for its
#                           management API (default http://host:15672)
#   DRILL_BROKER            auto (default): RABBITMQ_URL, else a private rabbitmq-server node started for the drill
#                           when rabbitmq-server is installed, else HTTP mode; local: require that node; none: HTTP mode
#   DRILL_EXCHANGES         exchanges in the session (default 5)
#   DRILL_DELAY             seconds between exchanges (default 0.2)
#   DRILL_TEACHER           Teacher__Chain for LlmServer (default embedded: no model needed)
#   DRILL_NO_BUILD=1        use the existing build output instead of running `dotnet build`
#   DRILL_CONFIGURATION     Debug (default) or Release
#   DRILL_KEEP=1            keep the work directory for inspection
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXCHANGES="${DRILL_EXCHANGES:-5}"
DELAY="${DRILL_DELAY:-0.2}"
TEACHER="${DRILL_TEACHER:-embedded}"
CONFIGURATION="${DRILL_CONFIGURATION:-Debug}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bridge-drill.XXXXXX")"
PIDS=()

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local code=$?
  if (( ${#PIDS[@]} > 0 )); then
    kill "${PIDS[@]}" 2>/dev/null || true
    # Reap them; whatever ignores SIGTERM for 15 s gets SIGKILL.
    ( sleep 15; kill -9 "${PIDS[@]}" 2>/dev/null ) &
    local watchdog=$!
    wait "${PIDS[@]}" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
  fi
  if declare -F stop_local_broker >/dev/null; then stop_local_broker; fi
  if [[ "${DRILL_KEEP:-}" == 1 ]]; then
    echo "Work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in dotnet curl jq; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y $tool)"
done

# A loopback port nobody listens on right now.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

# wait_for <what> <seconds> <command...>: bounded poll, 0.25 s apart.
wait_for() {
  local what=$1 seconds=$2
  shift 2
  local tries=$(( seconds * 4 ))
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  printf 'gave up after %ss waiting for %s\n' "$seconds" "$what" >&2
  return 1
}

# stop_process <pid> <name>: SIGTERM, SIGKILL after 20 s, and reap it (a bounded `wait`).
stop_process() {
  local pid=$1 name=$2
  kill "$pid" 2>/dev/null || true
  ( sleep 20; kill -9 "$pid" 2>/dev/null ) &
  local watchdog=$!
  wait "$pid" 2>/dev/null || true
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  info "$name (pid $pid) stopped"
}

dll() { echo "$ROOT/src/$1/bin/$CONFIGURATION/net10.0/$1.dll"; }

# start <project> <port> <workdir> [VAR=value ...]: runs the service's DLL as a user would, logs to <workdir>/service.log.
start() {
  local project=$1 port=$2 dir=$3
  shift 3
  mkdir -p "$dir"
  (
    cd "$dir"
    exec env -u ConnectionStrings__rabbitmq -u ASPNETCORE_URLS \
      ASPNETCORE_CONTENTROOT="$ROOT/src/$project" BRIDGE_CONFIG="$dir/no-config.json" "$@" \
      dotnet "$(dll "$project")" --urls "http://127.0.0.1:$port"
  ) >"$dir/service.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${project//./_}=$!"
  wait_for "$project on :$port" 60 curl -fsS --max-time 2 "http://127.0.0.1:$port/health" \
    || { tail -n 30 "$dir/service.log" >&2; fail "$project did not start"; }
  info "$project listening on http://127.0.0.1:$port (pid $!)"
}

json() { curl -fsS --max-time 15 "$@"; }

step "Build"
if [[ "${DRILL_NO_BUILD:-}" == 1 ]]; then
  info "skipped (DRILL_NO_BUILD=1)"
else
  for project in Cerebrum.Api LlmServer Middleware; do
    dotnet build "$ROOT/src/$project" -c "$CONFIGURATION" -nologo -v quiet >/dev/null || fail "dotnet build src/$project failed"
  done
  info "built Cerebrum.Api, LlmServer, Middleware ($CONFIGURATION)"
fi
for project in Cerebrum.Api LlmServer Middleware; do
  [[ -f "$(dll "$project")" ]] || fail "$(dll "$project") is missing: build first or drop DRILL_NO_BUILD"
done

RABBIT_BIN=/usr/lib/rabbitmq/bin
# A private RabbitMQ node for the drill: its own ports, data, cookie and config, nothing shared with a system broker.
start_local_broker() {
  local dir="$WORK/rabbitmq" amqp_port dist_port mgmt_port
  amqp_port=$(free_port); dist_port=$(free_port); mgmt_port=$(free_port)
  mkdir -p "$dir/mnesia" "$dir/log"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nmanagement.tcp.port = %s\nmanagement.tcp.ip = 127.0.0.1\n' \
    "$amqp_port" "$mgmt_port" >"$dir/rabbitmq.conf"
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  RABBIT_ENV=(
    HOME="$dir" RABBITMQ_NODENAME="bridge-drill-$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" RABBITMQ_MNESIA_BASE="$dir/mnesia"
    RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_ADDRESS=127.0.0.1
  )
  ( cd "$dir" && exec env "${RABBIT_ENV[@]}" "$RABBIT_BIN/rabbitmq-server" ) >"$dir/server.log" 2>&1 </dev/null &
  RABBIT_PID=$!
  BROKER="amqp://guest:guest@127.0.0.1:$amqp_port/"
  MANAGEMENT="http://127.0.0.1:$mgmt_port"
  wait_for "the RabbitMQ node on :$amqp_port" 90 curl -fsS --max-time 2 -u guest:guest "$MANAGEMENT/api/overview" \
    || { tail -n 30 "$dir/server.log" >&2; fail "the RabbitMQ node did not start"; }
  info "started a private RabbitMQ node (amqp :$amqp_port, management :$mgmt_port, pid $RABBIT_PID)"
}

stop_local_broker() {
  [[ -n "${RABBIT_PID:-}" ]] || return 0
  timeout 30 env "${RABBIT_ENV[@]}" "$RABBIT_BIN/rabbitmqctl" -n "bridge-drill-$$@localhost" stop >/dev/null 2>&1 || true
  kill "$RABBIT_PID" 2>/dev/null || true
  ( sleep 15; pkill -9 -P "$RABBIT_PID" 2>/dev/null; kill -9 "$RABBIT_PID" 2>/dev/null ) &
  local watchdog=$!
  wait "$RABBIT_PID" 2>/dev/null || true
  kill "$watchdog" 2>/dev/null || true
  RABBIT_PID=
}

step "Broker"
BROKER="${RABBITMQ_URL:-}"
MANAGEMENT="${RABBITMQ_MANAGEMENT_URL:-}"
case "${DRILL_BROKER:-auto}" in
  none) BROKER= ;;
  local) [[ -x "$RABBIT_BIN/rabbitmq-server" ]] || fail "rabbitmq-server is not installed (apt-get install -y rabbitmq-server)"; start_local_broker ;;
  auto) if [[ -z "$BROKER" && -x "$RABBIT_BIN/rabbitmq-server" ]]; then start_local_broker; fi ;;
  *) fail "DRILL_BROKER must be auto, local or none" ;;
esac
BROKER_ENV=()
if [[ -n "$BROKER" ]]; then
  if [[ -z "$MANAGEMENT" ]]; then
    MANAGEMENT="http://$(sed -E 's#^amqps?://([^@]*@)?([^:/]+).*#\2#' <<<"$BROKER"):15672"
  fi
  BROKER_ENV=("ConnectionStrings__rabbitmq=$BROKER")
  info "using RabbitMQ at ${BROKER##*@} (management $MANAGEMENT)"
else
  info "none: the middleware talks to LlmServer over HTTP"
fi

step "Start Cerebrum, LlmServer and the middleware"
CEREBRUM_PORT=$(free_port); LLM_PORT=$(free_port); MIDDLEWARE_PORT=$(free_port)
CEREBRUM="http://127.0.0.1:$CEREBRUM_PORT"; LLM="http://127.0.0.1:$LLM_PORT"; MIDDLEWARE="http://127.0.0.1:$MIDDLEWARE_PORT"
MIDDLEWARE_DIR="$WORK/middleware"
MIDDLEWARE_ENV=(
  "services__cerebrum__http__0=$CEREBRUM" "services__llmserver__http__0=$LLM"
  "Middleware__DatabasePath=$MIDDLEWARE_DIR/data/middleware.db" "Middleware__TrainingLogsPath=$MIDDLEWARE_DIR/training_logs"
  "${BROKER_ENV[@]}"
)
[[ -n "$BROKER" ]] && MIDDLEWARE_ENV+=("Middleware__RabbitMqManagementUrl=$MANAGEMENT")
start Cerebrum.Api "$CEREBRUM_PORT" "$WORK/cerebrum" "Cerebrum__DatabasePath=$WORK/cerebrum/data/cerebrum.db"
start LlmServer "$LLM_PORT" "$WORK/llmserver" "Teacher__Chain=$TEACHER" "${BROKER_ENV[@]}"
start Middleware "$MIDDLEWARE_PORT" "$MIDDLEWARE_DIR" "${MIDDLEWARE_ENV[@]}"

step "Train: $EXCHANGES exchanges, ${DELAY}s apart"
BEFORE_TRAINING=$(json "$CEREBRUM/api/status" | jq -r .observations)
SESSION=$(json -X POST "$MIDDLEWARE/api/training/start" -H 'Content-Type: application/json' \
  -d "{\"max_exchanges\": $EXCHANGES, \"delay\": $DELAY}" | jq -r .session_id)
[[ -n "$SESSION" && "$SESSION" != null ]] || fail "the middleware did not start a session"
info "session $SESSION"
session_done() {
  json "$MIDDLEWARE/api/training/status" | jq -e --arg id "$SESSION" \
    '.sessions[] | select(.session_id == $id) | select(.status == "completed")'
}
wait_for "session $SESSION to complete" 120 session_done || { tail -n 30 "$MIDDLEWARE_DIR/service.log" >&2; fail "the session did not complete"; }
LOG_FILES=$(find "$MIDDLEWARE_DIR/training_logs" -name 'session_*.json' | wc -l)
info "completed; $LOG_FILES session log file(s) in $MIDDLEWARE_DIR/training_logs"

LEARNED=$(json "$CEREBRUM/api/status")
OBSERVATIONS=$(jq -r .observations <<<"$LEARNED")
VOCABULARY=$(jq -r .vocabulary <<<"$LEARNED")
info "Cerebrum: $OBSERVATIONS observations (was $BEFORE_TRAINING), vocabulary $VOCABULARY, phase $(jq -r .phase <<<"$LEARNED")"
(( OBSERVATIONS >= BEFORE_TRAINING + EXCHANGES )) || fail "Cerebrum did not learn from the session"

step "Remove the middleware"
stop_process "$PID_Middleware" "middleware"
if [[ -n "$BROKER" ]]; then
  info "deleting its broker topology: dotnet Middleware.dll --uninstall"
  ( cd "$MIDDLEWARE_DIR" && exec env "${MIDDLEWARE_ENV[@]}" timeout 60 dotnet "$(dll Middleware)" --uninstall ) >"$WORK/uninstall.log" 2>&1 \
    || { cat "$WORK/uninstall.log" >&2; fail "Middleware --uninstall failed"; }
  grep -E '^(Removed|  )' "$WORK/uninstall.log" | sed 's/^/    /' || true
  LEFT=$(curl -fsS --max-time 10 -u "$(sed -E 's#^amqps?://([^:]*):([^@]*)@.*#\1:\2#' <<<"$BROKER")" \
    "$MANAGEMENT/api/queues?columns=name" | jq -r '.[].name | select(startswith("bridge-middleware"))') \
    || fail "could not list the broker's queues at $MANAGEMENT"
  [[ -z "$LEFT" ]] || fail "middleware queues are still on the broker: $LEFT"
fi
rm -rf "$MIDDLEWARE_DIR"
[[ ! -e "$MIDDLEWARE_DIR" ]] || fail "could not delete $MIDDLEWARE_DIR"
info "deleted $MIDDLEWARE_DIR (database and training_logs)"
if curl -fsS --max-time 2 "$MIDDLEWARE/health" >/dev/null 2>&1; then fail "something still answers on the middleware's port"; fi
pass "the middleware is gone: no process, no files$( [[ -n "$BROKER" ]] && echo ', no broker topology')"

step "Cerebrum and LlmServer without the middleware"
AFTER=$(json "$CEREBRUM/api/status")
[[ "$(jq -r .observations <<<"$AFTER")" == "$OBSERVATIONS" ]] || fail "Cerebrum's observations changed: $OBSERVATIONS -> $(jq -r .observations <<<"$AFTER")"
[[ "$(jq -r .vocabulary <<<"$AFTER")" == "$VOCABULARY" ]] || fail "Cerebrum's vocabulary changed: $VOCABULARY -> $(jq -r .vocabulary <<<"$AFTER")"
pass "Cerebrum still has all $OBSERVATIONS observations and $VOCABULARY words"

REPLY=$(json -X POST "$CEREBRUM/api/chat" -H 'Content-Type: application/json' -d '{"message": "Hello! How is the weather today?"}')
[[ -n "$(jq -r '.response // empty' <<<"$REPLY")" ]] || fail "Cerebrum /api/chat gave no response: $REPLY"
pass "Cerebrum /api/chat answers: $(jq -r .response <<<"$REPLY")"

TEACHER_REPLY=$(json --max-time 120 -X POST "$LLM/api/chat" -H 'Content-Type: application/json' -d '{"message": "Hello!"}')
[[ -n "$(jq -r '.response // empty' <<<"$TEACHER_REPLY")" ]] || fail "LlmServer /api/chat gave no response: $TEACHER_REPLY"
pass "LlmServer /api/chat answers ($(jq -r .provider <<<"$TEACHER_REPLY")): $(jq -r .response <<<"$TEACHER_REPLY" | head -c 160)"

step "Restart Cerebrum: its learning survives on disk, with no middleware anywhere"
stop_process "$PID_Cerebrum_Api" "Cerebrum"
start Cerebrum.Api "$CEREBRUM_PORT" "$WORK/cerebrum" "Cerebrum__DatabasePath=$WORK/cerebrum/data/cerebrum.db"
RESTARTED=$(json "$CEREBRUM/api/status" | jq -r .observations)
(( RESTARTED >= OBSERVATIONS )) || fail "Cerebrum lost observations across a restart: $OBSERVATIONS -> $RESTARTED"
pass "Cerebrum restarted with $RESTARTED observations"

printf '\nRemoval drill passed.\n'
