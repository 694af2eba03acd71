# scripts/netns-lib.sh — network namespaces for the demo and the netns tests.
#
# Topology: one server namespace holding a bridge "br0"; each client gets its
# own namespace with a veth whose other end is enslaved to that bridge. uppp
# server listens on br0, each uppp client on its veth. Everything created
# here is named with $NS_PREFIX and removed by ns_cleanup (registered as an
# EXIT trap by ns_init), also when the caller fails.
#
# Source this file, then: ns_init PREFIX; ns_add_client N; ...

NS_PIDS=()
NS_CLIENTS=0

# ns_sweep_stale PREFIX: a PREFIX made of letters and a process id (the
# tests' "ut$$") also names what earlier runs with the same letters made.
# Their namespaces (with their veths) and work directories are removed when
# that process is gone: a test killed outright (CTest's timeout sends
# SIGKILL) never ran its EXIT trap. A live process's are left alone; our own
# id's can only be stale (a reused id), since we have made nothing yet.
ns_sweep_stale() {
	local letters ns pid
	[[ $1 =~ ^([a-z]+)[0-9]+$ ]] || return 0
	letters=${BASH_REMATCH[1]}
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		[[ $ns =~ ^${letters}([0-9]+)-(s|c[0-9]+)$ ]] || continue
		pid=${BASH_REMATCH[1]}
		if [ "$pid" = "$$" ] || ! kill -0 "$pid" 2>/dev/null; then
			ip netns del "$ns" 2>/dev/null || true
			rm -rf "/tmp/${letters}${pid}".??????
		fi
	done
}

ns_init() {
	NS_PREFIX=$1
	ns_sweep_stale "$NS_PREFIX"
	SRV_NS="${NS_PREFIX}-s"
	NS_WORK=$(mktemp -d "/tmp/${NS_PREFIX}.XXXXXX")
	trap ns_cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$SRV_NS"
	ip -n "$SRV_NS" link set lo up
	ip -n "$SRV_NS" link add br0 type bridge
	ip -n "$SRV_NS" link set br0 up
}

cli_ns() { echo "${NS_PREFIX}-c$1"; }

# ns_add_client I: namespace ${NS_PREFIX}-cI with interface "eth0" bridged to the server.
ns_add_client() {
	local i=$1 ns
	ns=$(cli_ns "$i")
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip link add "${NS_PREFIX}c$i" netns "$ns" type veth peer name "p$i" netns "$SRV_NS"
	ip -n "$ns" link set "${NS_PREFIX}c$i" name eth0
	ip -n "$ns" link set eth0 up
	ip -n "$SRV_NS" link set "p$i" master br0 up
	NS_CLIENTS=$((i > NS_CLIENTS ? i : NS_CLIENTS))
}

# ns_bg NS LOG CMD...: run CMD in namespace NS in the background, output to LOG.
ns_bg() {
	local ns=$1 log=$2
	shift 2
	: >"$log"   # now, not in the background child: a waiter must never see an old log
	ip netns exec "$ns" "$@" >>"$log" 2>&1 &
	NS_PIDS+=($!)
	LAST_PID=$!
}

# Waits are for the event itself. Their limit only guards against a hang: a
# slow or loaded machine (valgrind, sanitizers, CPU burners beside the suite)
# must never turn a correct run into a failure, so the default is generous.
HANG_GUARD=${UPPP_HANG_GUARD:-60}

# wait_until [SECONDS] -- CMD...: 0 as soon as CMD succeeds, 1 after SECONDS
# (default HANG_GUARD) of it failing.
wait_until() {
	local limit=$HANG_GUARD end
	if [ "$1" != -- ]; then
		limit=$1
		shift
	fi
	shift
	end=$((SECONDS + limit))
	until "$@"; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

# wait_for_log FILE REGEX [SECONDS]: 0 when REGEX appears in FILE.
wait_for_log() {
	wait_until "${3:-$HANG_GUARD}" -- grep -Eq -- "$2" "$1" 2>/dev/null
}

# wait_gone PID [SECONDS]: 0 when the process has exited.
wait_gone() {
	wait_until "${2:-$HANG_GUARD}" -- eval '! kill -0 '"$1"' 2>/dev/null'
}

# wait_no_link NS DEV [SECONDS]: 0 when DEV no longer exists in namespace NS.
wait_no_link() {
	wait_until "${3:-$HANG_GUARD}" -- eval '! ip -n '"$1"' link show '"$2"' >/dev/null 2>&1'
}

# count_lines FILE REGEX: how many lines of FILE match REGEX (0 without FILE).
count_lines() {
	local n
	n=$(grep -Ec -- "$2" "$1" 2>/dev/null) || true
	echo "${n:-0}"
}

# ns_teardown: stop every process started here and delete every namespace
# (which removes its veths, bridge and TUNs). Safe to call twice.
ns_teardown() {
	local pid ns
	for pid in "${NS_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${NS_PIDS[@]}"; do
		wait_gone "$pid" 3 || kill -KILL "$pid" 2>/dev/null || true
	done
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${NS_PREFIX}-" || true); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
	NS_PIDS=()
}

ns_cleanup() {
	local rc=$?
	trap - EXIT
	ns_teardown
	if [ -n "${NS_KEEP_LOGS:-}" ]; then
		echo "logs kept in $NS_WORK"
	else
		rm -rf "$NS_WORK"
	fi
	exit "$rc"
}

# ns_leftovers: prints anything of ours still present (namespaces, links).
ns_leftovers() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${NS_PREFIX}-" || true
	ip -o link show 2>/dev/null | grep -E "${NS_PREFIX}c[0-9]+" || true
}
