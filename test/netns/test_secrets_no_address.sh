#!/usr/bin/env bash
# pppd reads `-` in a secrets line's address column as "no address allowed"
# (Debian's and openSUSE's templates use it to block an account): the user
# authenticates, but IPCP gets no address, the session ends with cause
# address-not-allowed and the server's log names the secrets line. Other
# users are not affected.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2
printf '%s\n' 'blocked * blocked-pw -' >>"$NS_WORK/secrets"
line=$(wc -l <"$NS_WORK/secrets")

start_server --auth chap
start_client 1 blocked -u blocked -p blocked-pw
wait_for_log "$NS_WORK/server.log" \
	"event=address-not-allowed user='blocked' secrets=$NS_WORK/secrets:$line " 60 ||
	fail "no address-not-allowed line naming secrets:$line"
wait_for_log "$NS_WORK/server.log" "event=session-end cause=address-not-allowed" 60 ||
	fail "session did not end with cause address-not-allowed"
wait_gone "$CLI_PID" 60 || fail "blocked client did not notice the hang-up"
grep -q "event=up" "$NS_WORK/blocked.log" && fail "blocked client came up"
[ -z "$(client_addr 1)" ] || fail "blocked client has an address"
grep -q "layer=session event=up" "$NS_WORK/server.log" && fail "server brought a session up for blocked"

start_client 2 alice -u alice -p alice-pw
wait_for_log "$NS_WORK/alice.log" "event=up" 60 || fail "alice did not come up after the blocked user"
[ "$(client_addr 2)" = 10.0.0.2 ] || fail "alice got '$(client_addr 2)', expected the first pool address"
echo "PASS (blocked by secrets:$line, alice up)"
