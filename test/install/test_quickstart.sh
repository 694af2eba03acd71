#!/usr/bin/env bash
# docs/quickstart.md and docs/zh-CN/quickstart.md stay true: every `uppp
# server` command in them parses (run with --show-config, which opens
# nothing), every `uppp doctor` command's flags are known (--help lists
# them), every other uppp verb they name exists, and the Chinese page shows
# the same uppp commands as the English one.
#
#   test_quickstart.sh SOURCE_DIR UPPP
set -uo pipefail
SRC=$1
UPPP=$2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The uppp command lines of a page: lines that start with `uppp ` (after
# optional spaces) inside ``` blocks, continuations joined, comments cut.
commands() {
	awk '
		/^```/ { inblock = !inblock; next }
		!inblock { next }
		{
			line = $0
			if (cont != "") { line = cont " " line; cont = "" }
			if (line ~ /\\$/) { sub(/\\$/, "", line); cont = line; next }
			sub(/[ \t]+#.*$/, "", line)
			sub(/^[ \t]+/, "", line)
			if (line ~ /^uppp / || line ~ /&& uppp /) print line
		}' "$1"
}

for page in "$SRC/docs/quickstart.md" "$SRC/docs/zh-CN/quickstart.md"; do
	[ -f "$page" ] || { fail "$page is missing"; continue; }
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		cmd=${cmd##*&& }   # `editor FILE && uppp reload`
		read -r -a words <<<"$cmd"
		verb=${words[1]}
		case $verb in
		server)
			if ! out=$("$UPPP" "${words[@]:1}" --show-config 2>&1); then
				fail "${page#"$SRC"/}: '$cmd' does not parse: $out"
			fi ;;
		doctor)
			help=$("$UPPP" doctor --help)
			for w in "${words[@]:2}"; do
				case $w in -*) grep -q -- "${w%%=*}\b" <<<"$help" || fail "${page#"$SRC"/}: doctor has no flag $w" ;; esac
			done ;;
		--version) "$UPPP" --version >/dev/null || fail "uppp --version failed" ;;
		*)
			"$UPPP" --help | grep -q "^  $verb " || fail "${page#"$SRC"/}: '$cmd': uppp has no command $verb" ;;
		esac
	done < <(commands "$page")
	[ "$n" -ge 5 ] || fail "${page#"$SRC"/}: only $n uppp commands found (the parser or the page broke)"
done

# the translation shows the same commands (their comments and quoted
# texts differ: compare the command words up to the first quote)
strip() { commands "$1" | sed 's/ *"[^"]*".*//' ; }
if ! diff <(strip "$SRC/docs/quickstart.md") <(strip "$SRC/docs/zh-CN/quickstart.md") >/dev/null; then
	fail "docs/zh-CN/quickstart.md shows other uppp commands than docs/quickstart.md:"
	diff <(strip "$SRC/docs/quickstart.md") <(strip "$SRC/docs/zh-CN/quickstart.md")
fi

[ $fails = 0 ] || exit 1
echo "PASS (quickstart: every uppp command parses, both languages show the same)"
