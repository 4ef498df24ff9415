#!/usr/bin/env bash
# Usage: tests/ministack.sh MINISTACK COMMAND...
# Starts MiniStack (the AWS emulator from PyPI) on a free loopback port, runs
# COMMAND against it with IOTOPS_ENDPOINT=ministack and IOTOPS_ENDPOINT_URL
# set (tests/endpoints.py), and stops the server however COMMAND ends.
# The server binds 127.0.0.1 only, serves only IoT and its jobs data plane,
# opens no MQTT listener, keeps no state on disk and sees none of this
# machine's AWS settings.
set -euo pipefail
ministack=$1
shift
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 TMPDIR="${TMPDIR:-/tmp}" \
    BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" SERVICES=iot,iot-jobs-data IOT_MTLS_ENABLED=0 PERSIST_STATE=0 \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$ministack" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

# Ready within 30 s, or the log says why not.
for _ in $(seq 300); do
    grep -q '\] Ready' "$log" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if ! grep -q '\] Ready' "$log"; then
    echo "MiniStack did not get ready on 127.0.0.1:$port within 30 s:" >&2
    cat "$log" >&2
    exit 1
fi
echo "MiniStack $("$(dirname "$ministack")/python" -c 'import importlib.metadata as m; print(m.version("ministack"))') on http://127.0.0.1:$port"
IOTOPS_ENDPOINT=ministack IOTOPS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_EC2_METADATA_DISABLED=true "$@"
