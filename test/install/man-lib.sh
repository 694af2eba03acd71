# shellcheck shell=bash
# test/install/man-lib.sh — sourced by test_man.sh and test_packaging.sh.
#
# man_lint PAGE: renders PAGE as a reader's man does (man-db, UTF-8, 80
# columns, every groff warning on), with groff -man -ww, and with mandoc's
# linter when mandoc is installed; prints what any of them said and fails if
# one said anything.
man_lint() {
	local page=$1 out rc=0
	out=$(MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	[ -z "$out" ] || { echo "man -l $page:"; echo "$out"; rc=1; }
	out=$(groff -man -ww -z "$page" 2>&1)
	[ -z "$out" ] || { echo "groff -man -ww $page:"; echo "$out"; rc=1; }
	if ! command -v mandoc >/dev/null; then
		echo "note: mandoc is not installed: $page not linted by mandoc -Tlint"
	else
		out=$(mandoc -Tlint -W style "$page" 2>&1)
		[ -z "$out" ] || { echo "mandoc -Tlint $page:"; echo "$out"; rc=1; }
	fi
	return $rc
}

# man_version PAGE: the version in the .TH line ("uppp X.Y.Z" in its fourth field).
man_version() {
	sed -n 's/^\.TH [^ ]* [0-9] "[^"]*" "uppp \([^"]*\)".*/\1/p' "$1"
}
