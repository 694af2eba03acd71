# shellcheck shell=bash
# test/install/examples-lib.sh — builds docs/examples/*.c, as installed in
# share/doc/uppp/examples/, against the installed tree, as a firmware project
# would: `cmake --install` into a DESTDIR, then
# `cc ... $(pkg-config --cflags --libs uppp)` with the sysroot pointing at it.
# No include path into the sources or the build tree.
#
# Source it, then: build_examples BUILD_DIR SOURCE_DIR OUT_DIR
# Sets EX_LIBDIR (the installed library directory, for LD_LIBRARY_PATH) and
# builds OUT_DIR/server_epoll, OUT_DIR/two_servers and OUT_DIR/client_callback. Returns non-zero with
# a message on stdout when a step fails.

build_examples() {
	local build src out prefix libdir flags ex f
	build=$(cd "$1" && pwd) || return 1
	src=$(cd "$2" && pwd) || return 1
	out=$3
	prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$build/CMakeCache.txt")
	libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
	case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
	mkdir -p "$out/root" || return 1
	if ! DESTDIR=$out/root cmake --install "$build" >"$out/install.log" 2>&1; then
		cat "$out/install.log"
		echo "FAIL: cmake --install"
		return 1
	fi
	EX_LIBDIR=$out/root$libdir
	flags=$(PKG_CONFIG_SYSROOT_DIR=$out/root PKG_CONFIG_PATH=$EX_LIBDIR/pkgconfig \
		pkg-config --cflags --libs uppp) || { echo "FAIL: pkg-config --cflags --libs uppp"; return 1; }
	case " $flags " in
	*"$src"*|*"$build"*) echo "FAIL: pkg-config points into the source or build tree: $flags"; return 1 ;;
	esac
	for ex in server_epoll two_servers client_callback; do
		# The installed copy (share/doc/uppp/examples/), alone in a
		# directory of its own: nothing of the sources beside it.
		f=$(find "$out/root" -path "*/doc/uppp/examples/$ex.c" | head -n 1)
		[ -n "$f" ] || { echo "FAIL: not installed: share/doc/uppp/examples/$ex.c"; return 1; }
		cmp -s "$f" "$src/docs/examples/$ex.c" || { echo "FAIL: installed $ex.c differs from docs/examples/$ex.c"; return 1; }
		cp "$f" "$out/$ex.c" || return 1
		# shellcheck disable=SC2086  # word splitting of the flags is meant
		if ! ${CC:-cc} -Wall -Wextra -Werror -o "$out/$ex" "$out/$ex.c" $flags 2>"$out/cc-$ex.log"; then
			cat "$out/cc-$ex.log"
			echo "FAIL: docs/examples/$ex.c does not build against the installed tree with: $flags"
			return 1
		fi
	done
}
