# test/interop/lib.sh — the real-peer harness: one QEMU guest (Debian kernel,
# pppd 2.4.9, rp-pppoe 3.15, busybox, iperf3) whose virtio NIC is a tap device
# in a network namespace we create; uppp runs in that namespace on the tap.
#
# Source it with the uppp binary as $1. It skips (exit 77, reason printed) when
# this machine cannot run the guest, builds or reuses the cached image
# (build-guest.sh), and removes the guest, tap and namespace on every exit.
# Then: boot_guest; run_case NAME FUNCTION [xfail]...; finish.
#
# Inside a case: g CMD runs CMD in the guest (output on stdout, its exit status
# returned); fail MSG ends the case with every log attached; uppp_bg starts a
# uppp in the namespace; wait_log FILE REGEX SECONDS waits for a log line.
set -uo pipefail
UPPP=${1:?usage: $0 /path/to/uppp}
UPPP=$(realpath "$UPPP")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "interop tests need root (network namespaces, tap devices)"
for tool in qemu-system-x86_64 ip tcpdump iperf3 mkfifo realpath setpriv base64; do
	command -v "$tool" >/dev/null || skip "$tool not installed (scripts/deps.sh installs it)"
done
[ -c /dev/net/tun ] || skip "/dev/net/tun missing: no tap devices on this machine"

T_START=$SECONDS
IMG=$(bash "$HERE/build-guest.sh")
rc=$?
[ $rc -eq 77 ] && skip "guest image cannot be built here (see above)"
[ $rc -eq 0 ] || { echo "FAIL: building the guest image failed (exit $rc)"; exit 1; }
T_IMAGE=$((SECONDS - T_START))

# Namespaces of earlier runs killed without a chance to clean up (SIGKILL,
# CTest timeout): their harness is gone, so they are ours to remove.
for stale in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^ui[0-9]+-h$'); do
	pid=${stale#ui}
	pid=${pid%-h}
	kill -0 "$pid" 2>/dev/null && continue
	echo "interop: removing namespace $stale left by an earlier run"
	ip netns pids "$stale" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$stale" 2>/dev/null
done

PFX="ui$$"
NS="${PFX}-h"
W=$(mktemp -d /tmp/uppp-interop.XXXXXX)
QEMU_PID=""
CASE_PID=""
BG_PIDS_FILE=$W/bg.pids
: >"$BG_PIDS_FILE"
RESULTS=()
FAILED=0

# ---- cleanup: every exit path -------------------------------------------------
kill_bg() { # stop every host process a case started (uppp, tcpdump, iperf3)
	local pid
	while read -r pid; do
		[ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
	done <"$BG_PIDS_FILE"
	while read -r pid; do
		[ -n "$pid" ] || continue
		wait_gone "$pid" 3 || kill -KILL "$pid" 2>/dev/null
	done <"$BG_PIDS_FILE"
	: >"$BG_PIDS_FILE"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -n "${CASE_PID:-}" ] && kill -KILL "$CASE_PID" 2>/dev/null
	kill_bg 2>/dev/null
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null
		wait_gone "$QEMU_PID" 3 || kill -KILL "$QEMU_PID" 2>/dev/null
	fi
	if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NS"; then
		ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		sleep 0.2
		ip netns del "$NS" 2>/dev/null
	fi
	local left
	left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -x "$NS")
	if [ -n "$left" ]; then
		echo "FAIL: namespace $left left behind"
		rc=1
	fi
	if [ -n "${UPPP_INTEROP_KEEP:-}" ] || [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		echo "interop: logs kept in $W"
	else
		rm -rf "$W"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits are for the event itself; their limit only guards against a hang
# (a TCG guest beside CPU-bound load is slow), so no limit is below
# HANG_GUARD seconds: a slow machine must never fail a correct run. Times
# measured in the cases are printed as info, never asserted.
HANG_GUARD=${UPPP_HANG_GUARD:-120}
hang_limit() { echo $(($1 > HANG_GUARD ? $1 : HANG_GUARD)); }

wait_until() { # SECONDS CMD...: 0 as soon as CMD succeeds (SECONDS: see hang_limit)
	local end=$((SECONDS + $(hang_limit "$1")))
	shift
	until "$@"; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

wait_gone() { # PID SECONDS: 0 when the process has exited
	wait_until "$2" eval '! kill -0 '"$1"' 2>/dev/null'
}

log_count() { # FILE REGEX: how many lines of FILE match (0 without FILE)
	local n
	n=$(grep -Ec -- "$2" "$1" 2>/dev/null) || true
	echo "${n:-0}"
}

wait_count() { # FILE REGEX N SECONDS: 0 when at least N lines of FILE match REGEX
	local end=$((SECONDS + $(hang_limit "$4")))
	until [ "$(log_count "$1" "$2")" -ge "$3" ]; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

wait_log() { # FILE REGEX SECONDS: 0 when REGEX shows up in FILE
	wait_count "$1" "$2" 1 "$3"
}

# No session TUN up on the server: an ended session's TUN waits there, down
# and without addresses, for the next session (the server's device pool).
no_server_tun() { ! ip -n "$NS" -o link show up | grep -q ' ppp[0-9]*:'; }

# ---- the guest ---------------------------------------------------------------
# boot_guest: start the guest and wait for its @@READY. It boots in 7-20 s
# even on a loaded machine; one that shows nothing for 3 × HANG_GUARD has
# hung in the emulator (seen once beside CPU burners: SeaBIOS, then
# silence), so it is killed and booted once more before the run fails.
boot_guest() {
	local attempt
	for attempt in 1 2; do
		boot_guest_once && return 0
		echo "interop: RETRY boot: the guest did not come up in $((3 * HANG_GUARD)) s (emulator stall, not a uppp verdict); console:"
		tail -n 20 "$W/console.log" 2>/dev/null
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
		[ -f "$W/console.log" ] && mv "$W/console.log" "$W/console-boot-$attempt.log"
	done
	echo "FAIL: guest did not come up in $((3 * HANG_GUARD)) s, twice"
	exit 1
}

# One boot; returns 1 when the guest did not come up in time.
boot_guest_once() {
	local line t0=$SECONDS kernel=$IMG/vmlinux
	if ! [ -p "$W/ctl.in" ]; then
		ip netns add "$NS" || skip "cannot create network namespaces here"
		ip -n "$NS" link set lo up
		ip -n "$NS" tuntap add dev tap0 mode tap || skip "cannot create a tap device in a namespace"
		ip -n "$NS" link set tap0 up
		mkfifo "$W/ctl.in" "$W/ctl.out"
		# Our ends open read-write: opening a FIFO that way never blocks, even
		# if qemu dies before opening its ends.
		exec {GIN}<>"$W/ctl.in" {GOUT}<>"$W/ctl.out"
	fi
	[ -n "${UPPP_INTEROP_BZIMAGE:-}" ] && kernel=$IMG/vmlinuz
	# --pdeathsig: qemu dies with this script even if it is killed with SIGKILL.
	setpriv --pdeathsig KILL ip netns exec "$NS" qemu-system-x86_64 -accel tcg -M pc -cpu max -m 256 -smp 1 \
		-nographic -nodefaults -no-reboot -no-user-config \
		-kernel "$kernel" -initrd "$IMG/initrd.gz" \
		-append "console=ttyS0 panic=-1 rdinit=/init loglevel=4 mitigations=off" \
		-serial "file:$W/console.log" -chardev "pipe,id=ctl,path=$W/ctl" -serial chardev:ctl \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01,romfile= \
		-monitor none >"$W/qemu.log" 2>&1 &
	QEMU_PID=$!
	while :; do
		if IFS= read -r -t 1 -u "$GOUT" line; then
			case "$line" in *@@READY*) break ;; esac
			continue
		fi
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			echo "qemu exited before the guest came up:"
			cat "$W/qemu.log"
			tail -n 20 "$W/console.log" 2>/dev/null
			skip "QEMU cannot run the guest on this machine"
		fi
		((SECONDS - t0 > 3 * HANG_GUARD)) && return 1
	done
	T_BOOT=$((SECONDS - t0))
	echo "interop: guest up in ${T_BOOT} s (${line#*@@READY }), image ready after ${T_IMAGE} s"
}

G_SEQ=0
# g [-t SECONDS] CMD: run CMD (one line of sh) in the guest under a timeout
# (default HANG_GUARD s, a guard against hangs only); prints its output, returns
# its exit status (254: no answer, or the line arrived mangled and did not run).
g() {
	local secs=$HANG_GUARD id line rc deadline left
	if [ "$1" = -t ]; then
		secs=$2
		shift 2
	fi
	G_SEQ=$((G_SEQ + 1))
	id="$BASHPID.$G_SEQ"
	kill -0 "$QEMU_PID" 2>/dev/null || { echo "(guest is not running)"; return 254; }
	printf '%s %s %s\n' "$id" "$secs" "$(printf '%s\n' "$*" | base64 -w0)" >&"$GIN"
	# The guest ends the command itself after secs (timeout -s KILL): the
	# host waits well beyond that, since an emulated guest on a loaded
	# machine may answer long after its own timeout fired.
	deadline=$((SECONDS + 2 * secs + 60))
	while :; do
		left=$((deadline - SECONDS))
		if ((left <= 0)) || ! IFS= read -r -t "$left" -u "$GOUT" line; then
			echo "(no answer from the guest to: $*)"
			return 254
		fi
		line=${line%$'\r'}
		case "$line" in
		*"@@END $id "*)
			[ -n "${line%%@@END*}" ] && printf '%s\n' "${line%%@@END*}"
			rc=${line##* }
			if [ "$rc" = 253 ]; then  # mangled on the way: never ran (guest/init)
				echo "(no answer from the guest to: $*) [the command line arrived mangled]"
				return 254
			fi
			return "$rc"
			;;
		*"@@END "*) continue ;; # the end of an earlier command that timed out here
		esac
		printf '%s\n' "$line"
	done
}

# g_ok ARGS...: g, and the case fails when the guest did not run the command
# successfully; the failure quotes g's own words, so that a guest that did
# not answer ("(no answer from the guest") is recognised as a stall.
g_ok() {
	local out
	out=$(g "$@") || fail "guest command failed (status $?): ${out:-no output} [$*]"
}

# g_absent REGEX FILE: REGEX is not in FILE in the guest (grep says 1). Found
# (0) fails the case; any other status — the guest did not answer — fails it
# as a stall, never passes as "absent".
g_absent() {
	local out rc
	out=$(g "grep -Eq '$1' $2")
	rc=$?
	[ $rc -eq 1 ] && return 0
	[ $rc -eq 0 ] && return 1
	fail "guest could not check '$1' in $2 (status $rc): ${out:-no output}"
}

# ---- cases -------------------------------------------------------------------
# uppp_bg NAME ARGS...: run "uppp ARGS" in the namespace, log to $CW/NAME.log.
uppp_bg() {
	local name=$1
	shift
	ip netns exec "$NS" "$UPPP" "$@" >"$CW/$name.log" 2>&1 &
	LAST_PID=$!
	echo "$LAST_PID" >>"$BG_PIDS_FILE"
}

# host_bg NAME CMD...: any other host process in the namespace (tcpdump, iperf3).
host_bg() {
	local name=$1
	shift
	ip netns exec "$NS" "$@" >"$CW/$name.log" 2>&1 &
	LAST_PID=$!
	echo "$LAST_PID" >>"$BG_PIDS_FILE"
}

# fail MSG: this case failed; print why and every log that can tell more.
fail() {
	local f
	echo "FAIL [$CASE]: $*"
	for f in "$CW"/*.log "$CW"/*.txt; do
		[ -s "$f" ] || continue
		echo "----- host: $(basename "$f") (last 80 lines)"
		tail -n 80 "$f"
	done
	echo "----- guest: logs of this case"
	g -t 10 'for f in /tmp/log/*; do [ -f "$f" ] || continue; echo "== $f"; tail -n 60 "$f"; done'
	echo "----- guest console (last 15 lines)"
	tail -n 15 "$W/console.log" 2>/dev/null
	exit 1
}

# run_case NAME FUNCTION [xfail]: run one case in a subshell (its `fail` ends
# only that case), then stop what it started, here and in the guest.
# xfail: the case is expected to fail; passing is then a failure ("unexpected
# pass") so that whoever made it work removes the mark.
# run_case NAME FN [xfail]: one case; a case that failed only because the
# emulated guest stopped answering (its control channel or its NIC, a TCG
# hiccup under load) is run once more on a fresh guest, and says so.
run_case() {
	run_case_once "$@"
	if [ "$LAST_CASE_RC" -ne 0 ] && [ "${3:-}" != xfail ] &&
		grep -q '(no answer from the guest\|(guest is not running)\|transmit queue [0-9]* timed out' \
			"$W/$1/output" "$W/$1/console.log" 2>/dev/null; then
		echo "interop: RETRY '$1': the guest stopped answering (emulator stall, not a uppp verdict); fresh guest"
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
		[ -f "$W/console.log" ] && mv "$W/console.log" "$W/$1/console-first-try.log"
		mv "$W/$1" "$W/$1.first-try"
		boot_guest
		FAILED=$FAILED_BEFORE_CASE
		unset 'RESULTS[${#RESULTS[@]}-1]'
		run_case_once "$@"
		RESULTS[${#RESULTS[@]}-1]="${RESULTS[${#RESULTS[@]}-1]} (retried: guest stall)"
	fi
}

run_case_once() {
	local name=$1 fn=$2 mark=${3:-} t0=$SECONDS rc out
	FAILED_BEFORE_CASE=${FAILED:-0}
	if [ -n "${UPPP_INTEROP_CASES:-}" ] && ! [[ " $UPPP_INTEROP_CASES " == *" $name "* ]]; then
		return 0
	fi
	CASE=$name
	CW=$W/$name
	mkdir -p "$CW"
	echo "=== $name"
	g_ok 'mkdir -p /tmp/log'
	# In the background + wait: a signal to this script interrupts `wait` at
	# once (a foreground subshell would delay the trap until the case ends).
	(
		set +e
		"$fn"
	) >"$CW/output" 2>&1 &
	CASE_PID=$!
	wait "$CASE_PID"
	rc=$?
	CASE_PID=""
	kill_bg
	g -t 15 'killall pppoe-server 2>/dev/null; killall pppd 2>/dev/null; killall iperf3 2>/dev/null
		i=0; while pidof pppd >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
		killall -9 pppd pppoe pppoe-server iperf3 2>/dev/null
		rm -rf /tmp/log /etc/ppp/pap-secrets /etc/ppp/chap-secrets; true' >/dev/null
	local took=$((SECONDS - t0))
	# A guest whose NIC stalled (virtio TX under TCG) would fail every later
	# case: say so, and boot a fresh one.
	if [ $rc -ne 0 ] && grep -q 'transmit queue [0-9]* timed out' "$W/console.log" 2>/dev/null; then
		echo "interop: the guest's NIC stalled during '$name' (NETDEV WATCHDOG); rebooting the guest"
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
		mv "$W/console.log" "$CW/console.log"
		boot_guest
	fi
	if [ "$mark" = xfail ]; then
		if [ $rc -eq 0 ]; then
			out="FAIL (unexpected pass: remove the xfail mark of '$name' in $(basename "$0"))"
			FAILED=1
		else
			out="XFAIL (expected: $(grep -m1 '^FAIL' "$CW/output" | cut -c1-160))"
		fi
	elif [ $rc -eq 0 ]; then
		out=PASS
	else
		out=FAIL
		FAILED=1
	fi
	if [ "$out" = FAIL ] || [ -n "${UPPP_INTEROP_VERBOSE:-}" ]; then
		cat "$CW/output"
	else
		grep -E '^(note|info):' "$CW/output"
	fi
	echo "--- $name: $out (${took} s)"
	RESULTS+=("$(printf '%-22s %-6s %3d s' "$name" "${out%% *}" "$took")")
	LAST_CASE_RC=$rc
}

# finish: power the guest off, print the summary, exit with the verdict.
finish() {
	local r
	g -t 5 'sync' >/dev/null
	printf '0 5 %s\n' "$(echo 'poweroff -f' | base64 -w0)" >&"$GIN"
	wait_gone "$QEMU_PID" 10 || echo "interop: guest did not power off; killing qemu"
	echo "===== interop summary (image ${T_IMAGE} s, boot ${T_BOOT} s, total $((SECONDS - T_START)) s)"
	for r in "${RESULTS[@]}"; do echo "  $r"; done
	exit "$FAILED"
}
