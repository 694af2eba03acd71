#!/usr/bin/env bash
# Cross build and test for another CPU (docs/cross.md): installs what is
# missing, configures build-cross-ARCH/ with cmake/toolchain-ARCH.cmake, builds
# with warnings as errors and runs the unit and in-memory tests under
# qemu-user (CMAKE_CROSSCOMPILING_EMULATOR; no binfmt_misc needed).
#
#   armhf    Debian's armhf multiarch libraries: the whole library, the
#            binary, every unit and in-memory test and the fuzz corpus replays.
#   riscv64  Debian 12 has no riscv64 binaries: nettle and cmocka are built
#            from Debian's source packages (apt-get source, through a private
#            apt list of the deb-src of the Debian archives this machine
#            already uses) into build-cross-riscv64/deps; only the sans-I/O
#            library and the tests that need nothing more (UPPP_SANS_IO_ONLY).
#
#   scripts/cross.sh armhf|riscv64 [CTEST ARGS...]
# Needs root (or sudo) the first time, to install packages.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCH=${1:-}
case "$ARCH" in
armhf) TRIPLET=arm-linux-gnueabihf ;;
riscv64) TRIPLET=riscv64-linux-gnu ;;
*)
	echo "usage: scripts/cross.sh armhf|riscv64 [CTEST ARGS...]" >&2
	exit 2
	;;
esac
shift
BUILD=${BUILD_DIR:-build-cross-$ARCH}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
install_missing() {  # install_missing PKG...: apt-get install those not installed
	local missing=() p
	for p in "$@"; do
		installed "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	echo "cross: installing ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# nettle (static) and cmocka (shared) for riscv64, from Debian's source
# packages, installed in $1 (lib/, include/, lib/pkgconfig/). Kept between runs.
riscv64_deps() {
	local prefix=$1 work apt opts
	if [ -f "$prefix/lib/pkgconfig/nettle.pc" ] && [ -f "$prefix/lib/pkgconfig/cmocka.pc" ]; then
		return 0
	fi
	work=$PWD/$BUILD/deps-src
	apt=$PWD/$BUILD/deps-apt
	rm -rf "$work" "$apt"
	mkdir -p "$work" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts"
	# deb-src lines for the Debian archives apt already uses here (no host named
	# in this file); their origin is known once apt's lists are there.
	debian_src_lines() {
		# shellcheck disable=SC2016 # apt expands $(FIELD), not the shell
		apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(ORIGIN) $(IDENTIFIER)' |
			awk '$4 == "Debian" && $5 == "Packages" { print "deb-src", $1, $2, $3 }' | sort -u
	}
	debian_src_lines >"$apt/sources.list"
	if ! [ -s "$apt/sources.list" ]; then
		$SUDO apt-get update -qq
		debian_src_lines >"$apt/sources.list"
	fi
	if ! [ -s "$apt/sources.list" ]; then
		echo "cross: apt knows no Debian archive here: cannot fetch nettle's and cmocka's sources" >&2
		return 1
	fi
	opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/parts"
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
	echo "cross: fetching Debian's source packages of nettle and cmocka"
	apt-get "${opts[@]}" update -qq
	(cd "$work" && apt-get "${opts[@]}" source -qq nettle cmocka >/dev/null)

	echo "cross: building nettle for $TRIPLET (static, no public-key part: uppp uses hashes, HMAC and DES)"
	# Debian's patch touches aclocal.m4 and configure alike: no autoconf rerun needed.
	(cd "$work"/nettle-*/ &&
		touch aclocal.m4 configure.ac && touch configure config.h.in stamp-h.in &&
		CFLAGS="-O2 -fPIC" ./configure -q --host="$TRIPLET" --prefix="$prefix" --libdir="$prefix/lib" --disable-shared \
			--disable-public-key --disable-documentation --disable-openssl &&
		make -s -j"$(nproc)" libnettle.a nettle.pc &&
		make -s install-headers install-static install-pkgconfig) >"$work/nettle.log" 2>&1 ||
		{ tail -30 "$work/nettle.log"; return 1; }

	echo "cross: building cmocka for $TRIPLET (a shared library: the tests find it through their RPATH)"
	(cmake -S "$work"/cmocka-*/ -B "$work/cmocka-build" -DCMAKE_SYSTEM_NAME=Linux \
		-DCMAKE_C_COMPILER="$TRIPLET-gcc" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
		-DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF -DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$work/cmocka-build" -j"$(nproc)" &&
		cmake --install "$work/cmocka-build") >"$work/cmocka.log" 2>&1 ||
		{ tail -30 "$work/cmocka.log"; return 1; }
}

conf=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-$ARCH.cmake" -DUPPP_WERROR=ON)
labels='^(unit|mem)$'
case "$ARCH" in
armhf)
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		echo "cross: adding the armhf architecture to dpkg (multiarch)"
		$SUDO dpkg --add-architecture armhf
	fi
	install_missing cmake pkg-config qemu-user gcc-arm-linux-gnueabihf libc6-dev-armhf-cross \
		nettle-dev:armhf libcmocka-dev:armhf libpcap-dev:armhf libnl-3-dev:armhf \
		libnl-route-3-dev:armhf libcrypt-dev:armhf
	labels='^(unit|mem|fuzz)$'  # the whole tree is built: the fuzz corpora replay too
	;;
riscv64)
	install_missing cmake pkg-config qemu-user gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
		dpkg-dev m4 make
	mkdir -p "$BUILD"
	riscv64_deps "$PWD/$BUILD/deps"
	conf+=(-DUPPP_SANS_IO_ONLY=ON -DUPPP_CROSS_PREFIX="$PWD/$BUILD/deps")
	;;
esac

echo "cross: configuring and building $BUILD"
cmake -S . -B "$BUILD" "${conf[@]}" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
echo "cross: ctest -L '$labels' under qemu-user ($ARCH)"
cd "$BUILD"
ctest -L "$labels" -j"$(nproc)" --output-on-failure "$@"
