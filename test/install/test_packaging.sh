#!/usr/bin/env bash
# What a distribution's package holds (acceptance 6 of issue 12):
# `cmake --install --prefix /usr` into a temporary DESTDIR puts in place
# sbin/uppp, uppp(8), uppp-options(5), the systemd units and the example
# configuration files; the units name /usr/sbin/uppp (the install prefix, not
# the configure-time one) and pass `systemd-analyze verify` (which also looks
# up their Documentation= man pages, here in the DESTDIR); their sandbox is
# rated no worse than OK by `systemd-analyze security --offline`; the
# installed pages render cleanly; the installed binary, the pages' headers
# and project() agree on the version; and the example files are accepted by
# the installed binary as they are (flags of the environment files, the
# options file, the secrets file).
#
#   test_packaging.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
SRC=$(cd "${2:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
D=$(mktemp -d /tmp/uppp-pkg.XXXXXX)
trap 'rm -rf "$D"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze is not installed (scripts/deps.sh: systemd)"; exit 1; }
# shellcheck source=test/install/man-lib.sh
. "$SRC/test/install/man-lib.sh"

R=$D/root
DESTDIR=$R cmake --install "$BUILD" --prefix /usr >"$D/install.log" 2>&1 ||
	{ cat "$D/install.log"; echo "FAIL: cmake --install --prefix /usr"; exit 1; }
UNITS=$R/usr/lib/systemd/system
EX=$R/usr/share/doc/uppp/examples/etc
for f in /usr/sbin/uppp /usr/share/man/man8/uppp.8 /usr/share/man/man5/uppp-options.5 \
	 /usr/lib/systemd/system/uppp@.service /usr/lib/systemd/system/uppp-client@.service; do
	[ -e "$R$f" ] || fail "not installed: $f"
done
for f in default/uppp-eth1 default/uppp-client-eth0 ppp/pppoe-server-options ppp/chap-secrets; do
	cmp -s "$EX/$f" "$SRC/docs/examples/etc/$f" || fail "not installed as in docs/examples/etc/: share/doc/uppp/examples/etc/$f"
done
[ -x "$R/usr/sbin/uppp" ] || { echo "$failures failure(s)"; exit 1; }

# The units run the installed binary; the pages name the installed docs.
for u in uppp@ uppp-client@; do
	grep -q "^ExecStart=/usr/sbin/uppp " "$UNITS/$u.service" ||
		fail "$u.service: ExecStart is not /usr/sbin/uppp: $(grep '^ExecStart=' "$UNITS/$u.service")"
done
grep -q '/usr/local' "$R"/usr/share/man/man*/uppp* "$UNITS"/uppp*.service &&
	fail "a page or unit names /usr/local, not the install prefix /usr"

# systemd-analyze verify checks that ExecStart= exists and is executable, so
# it reads a copy of each unit whose ExecStart names the DESTDIR binary, as
# an instance (uppp@eth0); the man pages of Documentation= are looked up in
# the DESTDIR (MANPATH). Warnings go to stderr with exit 0 ("ignoring"), so
# any output at all is a failure.
for u in uppp@ uppp-client@; do
	sed "s|^ExecStart=/usr/sbin/uppp |ExecStart=$R/usr/sbin/uppp |" "$UNITS/$u.service" >"$D/${u}eth0.service"
	if ! out=$(cd "$D" && MANPATH=$R/usr/share/man systemd-analyze verify "./${u}eth0.service" 2>&1) || [ -n "$out" ]; then
		fail "systemd-analyze verify $u.service: $out"
	fi
	sec=$(cd "$D" && systemd-analyze security --offline=yes "./${u}eth0.service" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: //p')
	echo "ok: $u.service verified; systemd-analyze security: ${sec:-?}"
	case $sec in
	*" SAFE"* | *" OK"*) ;;
	*) fail "$u.service: systemd-analyze security rates its sandbox '${sec:-?}' (want SAFE or OK)" ;;
	esac
done

# The installed pages render cleanly and, with the installed binary, carry project()'s version.
want=$(sed -n 's/^project(uppp VERSION \([0-9.]*\) .*/\1/p' "$SRC/CMakeLists.txt")
got=$("$R/usr/sbin/uppp" --version)
[ "$got" = "uppp $want" ] || fail "installed uppp --version says '$got', CMakeLists.txt project() '$want'"
for page in "$R/usr/share/man/man8/uppp.8" "$R/usr/share/man/man5/uppp-options.5"; do
	man_lint "$page" || fail "installed $(basename "$page") does not render cleanly"
	[ "$(man_version "$page")" = "$want" ] || fail "installed $(basename "$page") says version '$(man_version "$page")', not '$want'"
done

# The examples as an operator copies them: the server's environment file
# with its /etc/ppp paths pointing at the examples (and --options-dir there,
# so its chap-secrets is the one read) gets as far as opening the interface
# (which does not exist): flags, options file and secrets file accepted.
# shellcheck disable=SC1091
UPPP_SERVER_ARGS=$(. "$EX/default/uppp-eth1" && echo "$UPPP_SERVER_ARGS")
# shellcheck disable=SC1091
UPPP_CLIENT_ARGS=$(. "$EX/default/uppp-client-eth0" && echo "$UPPP_CLIENT_ARGS")
[ -n "$UPPP_SERVER_ARGS" ] || fail "examples/etc/default/uppp-eth1 sets no UPPP_SERVER_ARGS"
[ -n "$UPPP_CLIENT_ARGS" ] || fail "examples/etc/default/uppp-client-eth0 sets no UPPP_CLIENT_ARGS"
args=${UPPP_SERVER_ARGS//\/etc\/ppp\//$EX/ppp/}
# shellcheck disable=SC2086  # word splitting, as systemd does with $UPPP_SERVER_ARGS
timeout 60 "$R/usr/sbin/uppp" server -I upppnoexist0 $args --options-dir "$EX/ppp" >"$D/server.log" 2>&1
rc=$?
if [ $rc -ne 1 ] || ! grep -q 'event=secrets-loaded .*entries=3' "$D/server.log" ||
   ! grep -q 'event=open-failed if=upppnoexist0' "$D/server.log" ||
   grep -v 'event=secrets-exposed' "$D/server.log" | grep -qiE 'warning|level=err layer=config|error'; then
	cat "$D/server.log"
	fail "the server examples (uppp-eth1, pppoe-server-options, chap-secrets) are not accepted as they are (exit $rc)"
else
	echo "ok: the server examples are accepted (it stopped at the missing interface)"
fi
# shellcheck disable=SC2086
timeout 60 "$R/usr/sbin/uppp" client -I upppnoexist0 $UPPP_CLIENT_ARGS >"$D/client.log" 2>&1
rc=$?
if ! "$R/usr/sbin/uppp" client --help >/dev/null 2>&1; then
	echo "ok: this uppp was built without the client: its example not run"
elif [ $rc -ne 1 ] || grep -q -- "--help" "$D/client.log"; then
	cat "$D/client.log"
	fail "the client example (uppp-client-eth0) is not accepted as it is (exit $rc)"
else
	echo "ok: the client example is accepted"
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: the installed tree (DESTDIR, prefix /usr) holds binary, man pages, units and examples"
