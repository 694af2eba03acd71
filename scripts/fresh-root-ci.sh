#!/usr/bin/env bash
# scripts/fresh-root-ci.sh — the whole `.ci/run` of uppp in a fresh Debian 12
# root, N times in a row, while two CPU burners load the machine: what CI
# sees on a clean, busy machine (issue 9's acceptance). Needs root, network
# to a Debian mirror, and ~15 GB in /var/tmp.
#
#   fresh-ci.sh [-n RUNS] [-r REPO] [REF]
#       REF    commit or branch of REPO to test (default: REPO's HEAD)
#       REPO   git repository to clone (default: this checkout; a worktree's
#              branch is reachable from it, e.g. REF=fix-flake)
#       RUNS   consecutive runs, each in a fresh copy; stops at the first
#              failure (default 1; the acceptance asks 3)
#
# The pristine root /var/tmp/uppp-fresh-root (debootstrap --variant=minbase
# bookworm) is never written: each run gets an overlayfs on top of it (or a
# cp -a copy where overlayfs is not available) under /var/tmp/uppp-fresh-run.N,
# a fresh `git clone` of REF at /root/uppp in it, proc/sys/dev/dev/pts/run
# mounted, and runs `CI=true bash .ci/run` as root in a chroot. The chroot's
# root is a mount point of its own (overlay, or `mount --bind ROOT ROOT`), else
# `ip netns exec` fails with "mount --make-rslave /". scripts/deps.sh installs
# the packages inside (network needed); the interop guest's packages are
# downloaded inside too. Everything is unmounted and the burners stopped on
# any exit (trap). Logs stay in /var/tmp/uppp-fresh-logs/. FRESH_CI_CMD
# replaces the command run in the chroot (to try the set-up: FRESH_CI_CMD=true).
set -uo pipefail

PRISTINE=/var/tmp/uppp-fresh-root
LOGDIR=/var/tmp/uppp-fresh-logs
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNS=1
while getopts "n:r:" o; do
	case $o in
	n) RUNS=$OPTARG ;;
	r) REPO=$OPTARG ;;
	*) sed -n '2,12p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
REF=${1:-HEAD}

[ "$(id -u)" -eq 0 ] || { echo "fresh-ci: needs root" >&2; exit 2; }
if [ ! -x "$PRISTINE/bin/bash" ]; then
	command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	echo "fresh-ci: debootstrap bookworm into $PRISTINE (once)"
	debootstrap --variant=minbase bookworm "$PRISTINE.tmp" >"$PRISTINE.log" 2>&1 &&
		mv "$PRISTINE.tmp" "$PRISTINE" || { echo "fresh-ci: debootstrap failed, see $PRISTINE.log" >&2; exit 2; }
fi
COMMIT=$(git -C "$REPO" rev-parse --verify "$REF^{commit}") || { echo "fresh-ci: $REF: no such commit in $REPO" >&2; exit 2; }
mkdir -p "$LOGDIR"

BURNERS=()
RUN_DIR=""
ROOT=""

start_burners() {
	local i
	for i in 1 2; do
		# A CPU-bound shell loop (stress-ng is not on a fresh machine).
		bash -c 'while :; do :; done' &
		BURNERS+=($!)
	done
	echo "fresh-ci: CPU burners ${BURNERS[*]}"
}

stop_burners() {
	local pid
	for pid in "${BURNERS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	BURNERS=()
}

# Unmounts everything below ROOT (deepest first), lazily where busy.
unmount_root() {
	local m
	[ -n "$ROOT" ] || return 0
	for m in $(awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts | sort -r -u); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "fresh-ci: cannot unmount $m" >&2
	done
}

cleanup_run() {
	unmount_root
	if [ -n "$RUN_DIR" ] && [ -d "$RUN_DIR" ]; then
		if awk -v r="$RUN_DIR" 'index($2, r) == 1 {found = 1} END {exit !found}' /proc/self/mounts; then
			echo "fresh-ci: mounts left under $RUN_DIR, not removing it" >&2
		else
			rm -rf --one-file-system "$RUN_DIR"
		fi
	fi
	RUN_DIR=""
	ROOT=""
}

on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	stop_burners
	cleanup_run
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

prepare_root() {  # prepare_root N: fresh root at $ROOT with the clone in it
	RUN_DIR=/var/tmp/uppp-fresh-run.$1
	rm -rf --one-file-system "$RUN_DIR"
	mkdir -p "$RUN_DIR/upper" "$RUN_DIR/work" "$RUN_DIR/root"
	ROOT=$RUN_DIR/root
	if ! mount -t overlay overlay -o "lowerdir=$PRISTINE,upperdir=$RUN_DIR/upper,workdir=$RUN_DIR/work" "$ROOT" 2>/dev/null; then
		echo "fresh-ci: no overlayfs here: copying the pristine root"
		cp -a "$PRISTINE/." "$ROOT/" || return 1
		mount --bind "$ROOT" "$ROOT" || return 1   # a mount point of its own
	fi
	mount --make-private "$ROOT"
	mount -t proc proc "$ROOT/proc" &&
	mount -t sysfs sysfs "$ROOT/sys" &&
	mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" &&
	mount -t tmpfs -o mode=0755 tmpfs "$ROOT/run" &&
	mount -t tmpfs -o mode=1777 tmpfs "$ROOT/tmp" || return 1
	[ -e "$ROOT/dev/pts/ptmx" ] || mount -t devpts devpts "$ROOT/dev/pts" || return 1
	mkdir -p "$ROOT/run/netns"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
	git clone -q --no-local "$REPO" "$ROOT/root/uppp" &&
	git -C "$ROOT/root/uppp" -c advice.detachedHead=false checkout -q "$COMMIT" || return 1
	rm -rf "$ROOT/root/uppp/.git"   # the image has no git; nothing in the suite needs it
}

T0=$SECONDS
summary=()
status=0
for ((run = 1; run <= RUNS; run++)); do
	log=$LOGDIR/run-$(date +%Y%m%d-%H%M%S)-$run.log
	echo "fresh-ci: run $run/$RUNS of $COMMIT (${REF}) -> $log"
	t=$SECONDS
	if ! prepare_root "$run" >"$log" 2>&1; then
		echo "fresh-ci: could not prepare the root (see $log)"
		summary+=("run $run: setup FAILED")
		status=1
		cleanup_run
		break
	fi
	start_burners
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
		bash -c "cd /root/uppp && ${FRESH_CI_CMD:-bash .ci/run}" >>"$log" 2>&1
	rc=$?
	stop_burners
	# What a run may leave behind, for the record (a leak fails the run).
	left_ns=$(chroot "$ROOT" ip netns list 2>/dev/null | wc -l)
	cleanup_run
	echo "---- summary of run $run (exit $rc, $((SECONDS - t)) s)"
	sed -n '/^================ summary/,$p' "$log"
	[ "$left_ns" -eq 0 ] || { echo "fresh-ci: run $run left $left_ns namespaces"; rc=1; }
	summary+=("run $run: $([ $rc = 0 ] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - t)) s, log $log")
	if [ $rc -ne 0 ]; then
		status=1
		break
	fi
done

echo
echo "==== fresh-ci: $COMMIT ($REF), $RUNS run(s) asked, two CPU burners beside each"
printf '%s\n' "${summary[@]}"
echo "total $((SECONDS - T0)) s"
exit $status
