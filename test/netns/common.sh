# test/netns/common.sh — shared by the netns test scripts.
# Usage: . common.sh "$@"  (first argument: path to the uppp binary)
set -euo pipefail
UPPP=${1:?usage: $0 /path/to/uppp}
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: netns tests need root"
	exit 77
fi
for tool in ip tcpdump ping; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../scripts/netns-lib.sh"

fail() {
	echo "FAIL: $*"
	for f in "$NS_WORK"/*.log; do
		[ -f "$f" ] || continue
		echo "----- $(basename "$f")"
		tail -n 40 "$f"
	done
	exit 1
}

# A short, unique prefix: namespace and veth names must stay under 16 bytes.
ns_init "ut$$"
printf '%s\n' '# test secrets' 'alice * alice-pw *' '"bob smith" * "bob pw" *' 'carol * carol-pw 10.0.0.99' \
	>"$NS_WORK/secrets"
for i in $(seq 1 30); do printf 'user%d * pw%d *\n' "$i" "$i" >>"$NS_WORK/secrets"; done
chmod 600 "$NS_WORK/secrets"

# start_server ARGS...: uppp server on br0 with our secrets and a control
# socket of its own ($NS_WORK/control.sock: the default under /run/uppp is
# one path for every test's br0); waits until it runs.
CONTROL="$NS_WORK/control.sock"
start_server() {
	ns_bg "$SRV_NS" "$NS_WORK/server.log" "$UPPP" server -I br0 --secrets "$NS_WORK/secrets" --control "$CONTROL" "$@"
	SRV_PID=$LAST_PID
	wait_for_log "$NS_WORK/server.log" "event=started" || fail "server did not start"
}

# start_client I LOGNAME ARGS...: uppp client in client namespace I.
start_client() {
	local i=$1 name=$2
	shift 2
	ns_bg "$(cli_ns "$i")" "$NS_WORK/$name.log" "$UPPP" client -I eth0 "$@"
	CLI_PID=$LAST_PID
}

# client_addr I: the IPv4 address on ppp0 in client namespace I (empty if none).
client_addr() {
	ip -n "$(cli_ns "$1")" -o -4 addr show 2>/dev/null | awk '$2 ~ /^ppp/ {split($4, a, "/"); print a[1]; exit}'
}

# link_idle NS DEV: DEV exists in NS, is down and has no IPv4 address — a
# per-session TUN whose session ended, waiting in the server's pool.
link_idle() {
	local l
	l=$(ip -n "$1" -o link show "$2" 2>/dev/null) || return 1
	grep -q '[<,]UP[,>]' <<<"$l" && return 1
	[ -z "$(ip -n "$1" -o -4 addr show dev "$2" 2>/dev/null)" ]
}

# wait_link_idle NS DEV [SECONDS]: 0 once link_idle NS DEV holds.
wait_link_idle() {
	wait_until "${3:-$HANG_GUARD}" -- link_idle "$1" "$2"
}

# session_tuns NS: the TUN devices in NS, one name a line (a QEMU guest's
# tap is a "tun" to the kernel too: those have link/ether and are left out).
session_tuns() {
	ip -n "$1" -o link show type tun 2>/dev/null | grep -v 'link/ether' | awk -F': ' '{print $2}' | sed 's/@.*//' || true
}
