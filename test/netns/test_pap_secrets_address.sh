#!/usr/bin/env bash
# The seed's setup keeps PAP's users in pap-secrets beside chap-secrets
# (require-pap require-chap): a user who authenticates with PAP gets the
# address column of the pap-secrets line that authenticated them, as pppd
# does — its fixed address, or none with `-` — not chap-secrets' line for
# the same name.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2
W=$NS_WORK
mkdir -p "$W/etc-ppp"
: >"$W/etc-ppp/options"
printf '%s\n' 'bob * bob-chap 10.0.0.9' 'eve * eve-chap *' >"$W/etc-ppp/chap-secrets"
printf '%s\n' 'bob * bob-pap 10.0.0.7' 'eve * eve-pap -' >"$W/etc-ppp/pap-secrets"
chmod 600 "$W/etc-ppp/chap-secrets" "$W/etc-ppp/pap-secrets"
printf '%s\n' require-pap require-chap >"$W/options"
ns_bg "$SRV_NS" "$W/server.log" "$UPPP" server -I br0 --control "$CONTROL" -L 10.0.0.1 -R 10.0.0.2 -N 20 -O "$W/options" \
	--options-dir "$W/etc-ppp"
SRV_PID=$LAST_PID
wait_for_log "$W/server.log" "event=started" || fail "server did not start"

# bob, PAP only: pap-secrets' 10.0.0.7, not chap-secrets' 10.0.0.9
start_client 1 bob -u bob -p bob-pap --auth pap
wait_for_log "$W/bob.log" "event=up" || fail "bob did not come up"
[ "$(client_addr 1)" = 10.0.0.7 ] || fail "bob (PAP) got '$(client_addr 1)', expected pap-secrets' 10.0.0.7"

# eve, PAP only: '-' in pap-secrets, although chap-secrets would give her one
start_client 2 eve -u eve -p eve-pap --auth pap
wait_for_log "$W/server.log" "event=address-not-allowed user='eve' secrets=$W/etc-ppp/pap-secrets:2 " ||
	fail "eve's refusal does not name pap-secrets:2"
wait_gone "$CLI_PID" || fail "eve's client did not notice the hang-up"
grep -q "event=up" "$W/eve.log" && fail "eve came up"
echo "PASS (PAP users get pap-secrets' address column)"
