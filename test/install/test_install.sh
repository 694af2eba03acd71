#!/usr/bin/env bash
# `cmake --install` into a temporary DESTDIR puts in place the public
# headers, libuppp.a, libuppp.so*, uppp.pc, the CMake package, sbin/uppp and
# the documentation; then hello.c is built against that tree alone — with
# pkg-config (shared library) and with find_package(uppp) (uppp::uppp and
# uppp::uppp_static) — and run. No include path into the sources.
#
#   test_install.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
SRC=$(cd "${2:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
PREFIX=$(cache CMAKE_INSTALL_PREFIX)
LIBDIR=$(cache CMAKE_INSTALL_LIBDIR)
case $LIBDIR in /*) ;; *) LIBDIR=$PREFIX/$LIBDIR ;; esac
VERSION=$(sed -n 's/^#define UPPP_VERSION "\(.*\)"$/\1/p' "$BUILD/include/uppp/version.h")
D=$(mktemp -d /tmp/uppp-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

DESTDIR=$D/root cmake --install "$BUILD" >"$D/install.log" 2>&1 || { cat "$D/install.log"; echo "FAIL: cmake --install"; exit 1; }
R=$D/root
for f in "$PREFIX/include/uppp/uppp.h" "$PREFIX/include/uppp/types.h" "$PREFIX/include/uppp/cmdline.h" \
	 "$PREFIX/include/uppp/version.h" "$LIBDIR/libuppp.a" "$LIBDIR/libuppp.so" "$LIBDIR/libuppp.so.${VERSION%%.*}" \
	 "$LIBDIR/libuppp.so.$VERSION" "$LIBDIR/pkgconfig/uppp.pc" "$LIBDIR/cmake/uppp/uppp-config.cmake" \
	 "$LIBDIR/cmake/uppp/uppp-config-version.cmake" "$PREFIX/sbin/uppp" "$PREFIX/share/doc/uppp/README.md"; do
	[ -e "$R$f" ] || fail "not installed: $f"
done
for doc in "$SRC"/docs/*.md; do
	[ -e "$R$PREFIX/share/doc/uppp/$(basename "$doc")" ] || fail "not installed: share/doc/uppp/$(basename "$doc")"
done
[ "$(readelf -d "$R$LIBDIR/libuppp.so.$VERSION" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" = "libuppp.so.${VERSION%%.*}" ] ||
	fail "libuppp.so has no SONAME libuppp.so.${VERSION%%.*}"
# The installed headers stand alone: none names a header outside uppp/.
if grep -h '#[[:space:]]*include[[:space:]]*"' "$R$PREFIX"/include/uppp/*.h | grep -v '"uppp/'; then
	fail "an installed header includes something that is not installed"
fi

mkdir -p "$D/proj"
cp "$SRC/test/install/hello.c" "$D/proj/"
run_hello() {  # run_hello NAME BINARY
	local out
	out=$(LD_LIBRARY_PATH=$R$LIBDIR "$2" 2>&1) || { fail "$1: hello exited $?: $out"; return; }
	[ "$out" = "uppp_version=$VERSION cause=echo-timeout" ] || fail "$1: hello printed '$out'"
	echo "ok: $1: $out"
}

# pkg-config, as a firmware build system would use it: the sysroot is DESTDIR.
export PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_PATH=$R$LIBDIR/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
[ "$(pkg-config --modversion uppp)" = "$VERSION" ] || fail "pkg-config --modversion uppp"
flags=$(pkg-config --cflags --libs uppp) || fail "pkg-config --cflags --libs uppp"
case " $flags " in *"$SRC"*|*"$BUILD"*) fail "pkg-config points into the source or build tree: $flags" ;; esac
# shellcheck disable=SC2086  # word splitting of the flags is meant
if ${CC:-cc} -Wall -Werror -o "$D/proj/hello_pc" "$D/proj/hello.c" $flags 2>"$D/cc.log"; then
	readelf -d "$D/proj/hello_pc" | grep -q 'NEEDED.*libuppp\.so\.' || fail "pkg-config: hello is not linked to libuppp.so"
	run_hello pkg-config "$D/proj/hello_pc"
else
	cat "$D/cc.log"
	fail "pkg-config: hello.c does not build with: $flags"
fi
unset PKG_CONFIG_SYSROOT_DIR

# find_package(uppp): the shared and the static imported target.
sed "s/@UPPP_VERSION@/$VERSION/" "$SRC/test/install/CMakeLists.txt.in" >"$D/proj/CMakeLists.txt"
if cmake -S "$D/proj" -B "$D/proj/build" -DCMAKE_PREFIX_PATH="$R$PREFIX" -DCMAKE_FIND_ROOT_PATH= \
	 -DCMAKE_C_FLAGS="-Wall -Werror" >"$D/cmake.log" 2>&1 &&
   cmake --build "$D/proj/build" >>"$D/cmake.log" 2>&1; then
	grep -q -- "-I$SRC\b\|-I$BUILD\b" "$D/proj/build/CMakeFiles/hello_shared.dir/flags.make" &&
		fail "find_package: include path into the source or build tree"
	run_hello "find_package uppp::uppp" "$D/proj/build/hello_shared"
	readelf -d "$D/proj/build/hello_static" | grep -q 'NEEDED.*libuppp' && fail "uppp::uppp_static links libuppp.so"
	run_hello "find_package uppp::uppp_static" "$D/proj/build/hello_static"
else
	cat "$D/cmake.log"
	fail "find_package(uppp): the consumer project does not build"
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: installed tree in DESTDIR is complete and usable"
