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
	while IFS= read -r -d '' f; do
		checked=$((checked + 1))
		# #include "dir/..." and #include <uppp/...>; system headers are not ours
		while IFS=: read -r line target; do
			top=${target%%/*}
			[ "$top" = "$target" ] && top=.   # "file.h" without a directory: not allowed either
			case " ${ALLOWED[$layer]} " in
			*" $top "*) ;;
			*)
				echo "${f#"$ROOT"/}:$line: #include \"$target\" runs against the layers ($layer/ may include: ${ALLOWED[$layer]})"
				bad=1
				;;
			esac
		done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*("[^"]+"|<uppp/[^>]+>)' "$f" |
			 sed -E 's/^([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*["<]([^">]+)[">].*/\1:\2/')
	done < <(find "$dir" -name '*.[ch]' -print0)
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
