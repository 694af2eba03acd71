#!/usr/bin/env bash
# Checks that every #include in the source tree points down the layers of
# docs/architecture.md, never up or sideways:
#
#   cli/                    → uppp/ (the installed API) only
#   runtime/                → config netif proto auth ipam core
#   config/                 → proto auth ipam core
#   netif/                  → core
#   proto/                  → auth core
#   auth/  ipam/            → core
#   core/                   → (nothing of ours but the public enums)
#   include/uppp/           → uppp/ only
#
# Every layer may include its own headers and the public headers under
# include/uppp/ ("uppp/..."). Exits 1 naming each offending FILE:LINE.
#
#   scripts/check-layers.sh [ROOT]     ROOT defaults to the repository
set -uo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
declare -A ALLOWED=(
	[cli]="cli uppp"
	[runtime]="runtime config netif proto auth ipam core uppp"
	[config]="config proto auth ipam core uppp"
	[netif]="netif core uppp"
	[proto]="proto auth core uppp"
	[auth]="auth core uppp"
	[ipam]="ipam core uppp"
	[core]="core uppp"
	[include/uppp]="uppp"
)
bad=0
checked=0
for layer in "${!ALLOWED[@]}"; do
	dir="$ROOT/$layer"
	[ -d "$dir" ] || { echo "check-layers: missing layer directory $layer/"; bad=1; continue; }
	n=$(find "$dir" -name '*.[ch]' | wc -l)
	checked=$((checked + n))
	((n)) || continue
	# FILE:LINE:#include "dir/..." or <uppp/...>; system headers are not ours.
	# A target without a directory ("file.h") is not allowed either.
	out=$(find "$dir" -name '*.[ch]' -print0 |
		xargs -0 grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*("[^"]+"|<uppp/[^>]+>)' /dev/null |
		awk -v root="$ROOT/" -v layer="$layer" -v allowed=" ${ALLOWED[$layer]} " '
		{
			file = $0; sub(/:[0-9]+:.*/, "", file)
			rest = substr($0, length(file) + 2)
			line = rest; sub(/:.*/, "", line)
			target = rest; sub(/^[^"<]*["<]/, "", target); sub(/[">].*$/, "", target)
			top = target
			if (index(top, "/") == 0) top = "."; else sub(/\/.*/, "", top)
			if (index(allowed, " " top " ") == 0) {
				sub("^" root, "", file)
				printf "%s:%s: #include \"%s\" runs against the layers (%s/ may include:%s)\n", file, line, target, layer, substr(allowed, 1, length(allowed) - 1)
			}
		}')
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
done
if [ "$checked" -eq 0 ]; then
	echo "check-layers: no sources found under $ROOT"
	exit 1
fi
if [ "$bad" -ne 0 ]; then
	echo "check-layers: FAILED (see docs/architecture.md, 'Layers')"
	exit 1
fi
echo "check-layers: $checked files, every #include points down the layers"
