#!/usr/bin/env bash
# Faults between machines: 4 validators in 4 network namespaces behind a fault-injecting relay
# (delay, loss, partitions), checked for liveness and safety. Needs root.
#   e2e/netfault/run.sh [--quick] [--seed N] [--keep]
# --quick is the bounded run for CI (~2.5 min); see scenario.py for what is checked.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[[ $EUID -eq 0 ]] || { echo "netfault: needs root (network namespaces, TUN devices); run it with sudo" >&2; exit 2; }
command -v curl >/dev/null || { echo "netfault: needs curl" >&2; exit 2; }
"$root/chorus" --help >/dev/null # builds the CLI if sources changed; sets nothing else
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
exec python3 "$root/e2e/netfault/scenario.py" "$@"
