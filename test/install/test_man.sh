#!/usr/bin/env bash
# The man pages of the build tree (build/packaging/man, made from docs/man/*.in)
# render without a warning — man-db as a reader runs it, groff -ww, and
# mandoc -Tlint when it is installed —, carry in their header the version of
# project() in CMakeLists.txt, which `uppp --version` prints too, and uppp(8)
# describes every command of `uppp --help` and every flag of
# `uppp server --help` and `uppp client --help` in its SERVER OPTIONS and
# CLIENT OPTIONS sections. (The lists generated from config/options_table.c
# are checked by unit/test_options_doc.)
#
#   test_man.sh BUILD_DIR SOURCE_DIR UPPP_BINARY
set -uo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD_DIR SOURCE_DIR UPPP_BINARY}" && pwd)
SRC=$(cd "${2:?usage: $0 BUILD_DIR SOURCE_DIR UPPP_BINARY}" && pwd)
UPPP=${3:?usage: $0 BUILD_DIR SOURCE_DIR UPPP_BINARY}
MAN8=$BUILD/packaging/man/uppp.8
MAN5=$BUILD/packaging/man/uppp-options.5
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for tool in man groff; do
	command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps.sh installs it)"; exit 1; }
done
# shellcheck source=test/install/man-lib.sh
. "$SRC/test/install/man-lib.sh"
for page in "$MAN8" "$MAN5"; do
	[ -s "$page" ] || { fail "$page was not made (cmake/packaging.cmake)"; continue; }
	man_lint "$page" || fail "$(basename "$page") does not render cleanly"
done

# One version: project() → uppp --version → the pages' headers.
want=$(sed -n 's/^project(uppp VERSION \([0-9.]*\) .*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$want" ] || fail "no version in project() of CMakeLists.txt"
got=$("$UPPP" --version)
[ "$got" = "uppp $want" ] || fail "uppp --version says '$got', CMakeLists.txt project() '$want'"
for page in "$MAN8" "$MAN5"; do
	th=$(man_version "$page")
	[ "$th" = "$want" ] || fail "$(basename "$page") header says version '$th', CMakeLists.txt '$want'"
done

# The page text of a section (.SH NAME up to the next .SH), \- as -, fonts dropped.
section() { sed -n "/^\\.SH $2\$/,/^\\.SH /p" "$1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g'; }
# Every flag of a --help text: the long ones anywhere, the short ones at the
# start of a line ("  -I, --interface", "  -F").
help_flags() {
	"$UPPP" "$@" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
	"$UPPP" "$@" --help | grep -oE -- '^ +-[A-Za-z]\b' | tr -d ' ' | sort -u
}
check_flags() {  # check_flags SECTION COMMAND
	local text flags n=0
	text=$(section "$MAN8" "$1")
	[ -n "$text" ] || { fail "uppp.8 has no section '$1'"; return; }
	flags=$(help_flags "$2")
	for f in $flags; do
		n=$((n + 1))
		grep -qE -- "(^|[^-A-Za-z0-9])$f([^-A-Za-z0-9]|\$)" <<<"$text" ||
			fail "uppp.8, $1: flag $f of 'uppp $2 --help' is not described"
	done
	echo "ok: uppp.8 $1: the $n flags of 'uppp $2 --help' checked"
}
check_flags "SERVER OPTIONS" server
check_flags "CLIENT OPTIONS" client
synopsis=$(section "$MAN8" SYNOPSIS)
for cmd in $("$UPPP" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	grep -qE "^\\.B uppp $cmd( |\$)" <<<"$synopsis" || fail "uppp.8 SYNOPSIS: command '$cmd' of 'uppp --help' is missing"
done

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: man pages render cleanly, version $want everywhere, every flag described"
