#!/usr/bin/env bash
# test_stale_sweep.sh — namespaces a netns test left behind when it was
# killed outright (CTest's timeout sends SIGKILL: no EXIT trap runs) are
# removed by the next test's ns_init: those of a process that is gone, and
# never those of one that still runs.
#
# Before common.sh is sourced (it calls ns_init), this script plays the two
# earlier runs: a dead one (a child that has exited) and a live one (a child
# still sleeping), each with a server and a client namespace.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: netns tests need root"
	exit 77
fi
sleep 0 &
DEAD=$!
wait "$DEAD"
sleep 600 &
LIVE=$!
made=()
for pid in "$DEAD" "$LIVE"; do
	for n in s c1; do
		ip netns add "ut$pid-$n"
		made+=("ut$pid-$n")
	done
done
mkdir "/tmp/ut$DEAD.abcdef"
end_test() {
	kill "$LIVE" 2>/dev/null || true
	for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "/tmp/ut$DEAD.abcdef"
}
trap end_test EXIT

. "$(dirname "$0")/common.sh" "$@"
# ns_init's EXIT trap (ns_cleanup) replaced end_test's: the checks below
# cannot fail the script, so end_test runs before the verdict is given.
listed() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
wrong=""
for n in s c1; do
	listed "ut$DEAD-$n" && wrong+="ut$DEAD-$n (its process is gone) is still there; "
	listed "ut$LIVE-$n" || wrong+="ut$LIVE-$n (its process still runs) was removed; "
done
[ -e "/tmp/ut$DEAD.abcdef" ] && wrong+="the dead run's work directory is still there; "
listed "$SRV_NS" || wrong+="this test's own namespace was not made; "
end_test
[ -z "$wrong" ] || fail "$wrong"
echo "ok: stale namespaces of a dead run removed, a live run's kept"
