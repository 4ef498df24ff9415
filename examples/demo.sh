#!/usr/bin/env bash
# Run the demo against the local IoT Jobs endpoint: `make demo` calls this
# after building the demo's venv ($DEMO_VENV) and installing the collection
# into $DEMO_DIR/collections.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
demo_dir=${DEMO_DIR:-$root/.build/demo}
bin=${DEMO_VENV:-$demo_dir/venv}/bin

rm -f "$demo_dir/url"
PYTHONPATH="$root/tests" "$bin/python" -m local_endpoint --port 0 --url-file "$demo_dir/url" > "$demo_dir/endpoint.log" 2>&1 &
endpoint=$!
trap 'kill $endpoint 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -s "$demo_dir/url" ] && break; sleep 0.1; done
[ -s "$demo_dir/url" ] || { echo "the local endpoint did not start; see $demo_dir/endpoint.log" >&2; exit 1; }

# Throwaway credentials: the local endpoint accepts any.
export AWS_URL=$(cat "$demo_dir/url") AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export ANSIBLE_COLLECTIONS_PATH="$demo_dir/collections" ANSIBLE_LOCALHOST_WARNING=false PYTHONUNBUFFERED=1
playbook() {
    "$bin/ansible-playbook" -i localhost, -c local -e "ansible_python_interpreter=$bin/python" "$@"
}
# The simulator's set-up, then the demo as it would run against AWS.
playbook "$root/examples/demo_local_endpoint.yml"
playbook "$root/examples/demo.yml"
