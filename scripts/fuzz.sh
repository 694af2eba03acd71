#!/usr/bin/env bash
# Runs every libFuzzer target (test/fuzz/) for a bounded time under ASan +
# UBSan, two at a time, and fails on any crash, leak, UBSan report, hang or
# broken invariant. Needs clang with libFuzzer (libclang-rt-14-dev).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 30 s each, every target
#
# Builds into build-fuzz/ (BUILD_DIR to change). Each target starts from a
# scratch copy of its committed seeds in test/fuzz/corpus/ (the committed
# corpus never grows); FUZZ_KEEP=1 continues from the previous run's scratch
# corpus instead. FUZZ_JOBS: targets at once (default 2). FUZZ_RUNS=N also
# stops a target after N executions (long runs: SECONDS or N, first reached). Crash inputs are
# kept in build-fuzz/fuzz-run/<target>/ and named in the report.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${1:-30}
shift || true
ALL=(pppoe lcp ipcp pap chap mschapv2 session dial secrets mss decode options cli)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL[@]}")
BUILD=${BUILD_DIR:-build-fuzz}
JOBS=${FUZZ_JOBS:-2}
RUN="$BUILD/fuzz-run"

echo "== fuzz: building libFuzzer targets (clang, ASan+UBSan) in $BUILD"
CC=clang cmake -S . -B "$BUILD" -DUPPP_WERROR=ON -DUPPP_FUZZ=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]/#/fuzz_}" >/dev/null

# One target: fresh scratch corpus, bounded run, result in $RUN/<t>/rc.
run_one() {
	local t=$1 dir="$RUN/$1"
	if [ "${FUZZ_KEEP:-0}" != 1 ] || [ ! -d "$dir/corpus" ]; then
		rm -rf "$dir"
		mkdir -p "$dir/corpus"
		cp test/fuzz/corpus/fuzz_"$t"/* "$dir/corpus/"
	fi
	rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir/rc"
	local rc=0
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$BUILD/test/fuzz/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		${FUZZ_RUNS:+-runs=$FUZZ_RUNS} -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
	echo "$rc" >"$dir/rc"
}

mkdir -p "$RUN"
echo "== fuzz: ${#TARGETS[@]} targets x ${SECS}s, $JOBS at a time"
start=$(date +%s)
running=0
for t in "${TARGETS[@]}"; do
	run_one "$t" &
	running=$((running + 1))
	if ((running >= JOBS)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

failed=()
printf '%-10s %12s %10s %8s  %s\n' target execs exec/s corpus result
for t in "${TARGETS[@]}"; do
	dir="$RUN/$t"
	rc=$(cat "$dir/rc" 2>/dev/null || echo 99)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
	files=$(find "$dir/corpus" -type f | wc -l)
	if [ "$rc" = 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$dir/log"; then
		result=ok
	else
		result="FAILED (exit $rc)"
		failed+=("$t")
	fi
	printf '%-10s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$files" "$result"
done
echo "== fuzz: $(( $(date +%s) - start ))s wall"

if ((${#failed[@]})); then
	for t in "${failed[@]}"; do
		echo
		echo "######## fuzz_$t FAILED — log tail ($RUN/$t/log):"
		grep -nE 'ERROR|runtime error|invariant|SUMMARY|==[0-9]+==' "$RUN/$t/log" | head -20 || true
		tail -n 40 "$RUN/$t/log"
		for a in "$RUN/$t"/crash-* "$RUN/$t"/leak-* "$RUN/$t"/timeout-* "$RUN/$t"/oom-*; do
			[ -e "$a" ] && echo "reproduce: $BUILD/test/fuzz/fuzz_$t $a"
		done
	done
	echo
	echo "FUZZ FAILED: ${failed[*]}"
	exit 1
fi
echo "fuzz: all targets clean"
