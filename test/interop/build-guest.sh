#!/usr/bin/env bash
# test/interop/build-guest.sh — downloads the guest's Debian packages and builds
# the QEMU guest (an uncompressed vmlinux for PVH boot + an initramfs with
# busybox as init, pppd 2.4.9, rp-pppoe 3.15, iperf3 and the PPPoE modules).
#
# Everything lands in $UPPP_INTEROP_CACHE (default /var/cache/uppp-interop):
#   debs/           the downloaded .deb files, reused until UPPP_INTEROP_REFRESH=1
#   image-<hash>/   vmlinux, initrd.gz, kernel.version — keyed by the .deb set and
#                   the guest files, so editing guest/init rebuilds it
# Prints the image directory on stdout (everything else goes to stderr).
# Exit 0 = image ready, 77 = cannot be built on this machine (reason on stderr),
# anything else = a real error.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${UPPP_INTEROP_CACHE:-/var/cache/uppp-interop}
DEBS=$CACHE/debs

say() { echo "interop: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }

for tool in apt-get apt-cache dpkg-deb cpio gzip xz readelf flock; do
	command -v "$tool" >/dev/null || skip "$tool not installed (run scripts/deps.sh)"
done
mkdir -p "$DEBS" 2>/dev/null && touch "$CACHE/.lock" 2>/dev/null ||
	skip "cache dir $CACHE is not writable (run as root or set UPPP_INTEROP_CACHE)"
exec 9>"$CACHE/.lock"
flock -w 600 9 || { say "cache $CACHE locked by another run for 10 minutes"; exit 1; }

# The guest's packages: the Debian kernel (resolved through the linux-image-amd64
# metapackage), the peers, and the shared libraries their binaries need.
GUEST_PKGS=(ppp pppoe busybox-static iperf3 libiperf0 libsctp1 libssl3 libc6 libcrypt1
	libpam0g libpcap0.8 libsystemd0 libdbus-1-3 libcap2 libgcrypt20 liblzma5 libzstd1
	liblz4-1 libgpg-error0 libaudit1 libcap-ng0)

download() {
	local kpkg t0
	t0=$(date +%s)
	if ! apt-cache show ppp >/dev/null 2>&1; then
		say "apt-get update (package lists missing)"
		apt-get update -qq >&2 || skip "apt-get update failed: no package mirror reachable"
	fi
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	[ -n "$kpkg" ] || skip "apt cannot resolve linux-image-amd64 (not a Debian amd64 machine?)"
	say "downloading $kpkg ${GUEST_PKGS[*]} into $DEBS"
	rm -f "$DEBS"/*.deb "$DEBS/.complete"
	# apt's _apt user may not write here: that only costs a warning.
	(cd "$DEBS" && apt-get download -q "$kpkg" "${GUEST_PKGS[@]}" >&2) ||
		skip "apt-get download failed (offline?)"
	ls "$DEBS"/*.deb | xargs -n1 basename >"$DEBS/.complete"
	say "download took $(($(date +%s) - t0)) s, $(du -sh "$DEBS" | cut -f1)"
}

have_debs() {
	local f
	[ -s "$DEBS/.complete" ] || return 1
	while read -r f; do [ -f "$DEBS/$f" ] || return 1; done <"$DEBS/.complete"
}

if [ -n "${UPPP_INTEROP_REFRESH:-}" ] || ! have_debs; then
	download
fi

hash=$( (cat "$DEBS/.complete"; cat "$HERE/build-guest.sh" "$HERE"/guest/*) | sha256sum | cut -c1-16)
IMG=$CACHE/image-$hash
if [ -s "$IMG/initrd.gz" ] && [ -s "$IMG/vmlinux" ]; then
	echo "$IMG"
	exit 0
fi

t0=$(date +%s)
say "building guest image $IMG"
rm -rf "$CACHE"/image-* "$CACHE/unpack"
UNPACK=$CACHE/unpack
mkdir -p "$UNPACK"
while read -r f; do dpkg-deb -x "$DEBS/$f" "$UNPACK"; done <"$DEBS/.complete"
KVER=$(ls "$UNPACK/lib/modules" | head -n1)
[ -n "$KVER" ] || { say "no kernel modules in the kernel package"; exit 1; }

STAGE=$CACHE/stage
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,etc/ppp,proc,sys,dev,tmp,run,var/log,root,usr/bin,usr/sbin,lib/modules}
ln -s ../run "$STAGE/var/run"
cp "$UNPACK/bin/busybox" "$STAGE/bin/busybox"
for app in $("$UNPACK/bin/busybox" --list); do
	[ -e "$STAGE/bin/$app" ] || ln -s busybox "$STAGE/bin/$app"
done
ln -s /bin/busybox "$STAGE/sbin/init"

# Binaries and their shared-library closure (NEEDED entries, resolved in the
# unpacked packages; a missing one is an error, not a guest that fails later).
BINS=(usr/sbin/pppd usr/sbin/pppoe usr/sbin/pppoe-server usr/bin/iperf3
	usr/lib/pppd/2.4.9/rp-pppoe.so)
LIBDIRS=(lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64)
copy_path() { # copy a file and, if it is a symlink, what it points to
	local rel=$1 target
	mkdir -p "$STAGE/$(dirname "$rel")"
	if [ -L "$UNPACK/$rel" ]; then
		target=$(readlink "$UNPACK/$rel")
		ln -sf "$target" "$STAGE/$rel"
		case "$target" in
		/*) copy_path "${target#/}" ;;
		*) copy_path "$(dirname "$rel")/$target" ;;
		esac
	else
		cp "$UNPACK/$rel" "$STAGE/$rel"
	fi
}
find_lib() {
	local d
	for d in "${LIBDIRS[@]}"; do
		[ -e "$UNPACK/$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
declare -A seen=()
queue=("${BINS[@]}")
while ((${#queue[@]})); do
	rel=${queue[0]}
	queue=("${queue[@]:1}")
	[ -n "${seen[$rel]:-}" ] && continue
	seen[$rel]=1
	copy_path "$rel"
	for lib in $(readelf -d "$UNPACK/$rel" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		path=$(find_lib "$lib") || { say "library $lib (needed by $rel) is in none of the packages"; exit 1; }
		queue+=("$path")
	done
done
[ -e "$STAGE/usr/lib/pppd/2.4.9/pppoe.so" ] || ln -s rp-pppoe.so "$STAGE/usr/lib/pppd/2.4.9/pppoe.so"
# The dynamic loader at the path binaries ask for.
mkdir -p "$STAGE/lib64"
interp=$(readelf -l "$UNPACK/usr/sbin/pppd" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
copy_path "${interp#/}"

# Kernel modules, ordered so that each comes after what it depends on
# (read from the modules' own .modinfo: no depmod on the host needed).
declare -A modpath=() modadded=()
while IFS= read -r f; do
	m=$(basename "$f" .ko)
	modpath[$m]=${f#"$UNPACK/"}
done < <(find "$UNPACK/lib/modules/$KVER/kernel" -name '*.ko')
ORDER=()
add_module() {
	local m=$1 deps d
	[ -n "${modadded[$m]:-}" ] && return 0
	[ -n "${modpath[$m]:-}" ] || { say "kernel module $m not in the kernel package"; exit 1; }
	deps=$(tr '\0' '\n' <"$UNPACK/${modpath[$m]}" | sed -n 's/^depends=//p' | tr ',' ' ')
	for d in $deps; do add_module "$d"; done
	modadded[$m]=1
	ORDER+=("$m")
}
# ppp_async: pppoe-server runs pppd over a pty (N_PPP line discipline).
for m in virtio_pci virtio_net pppoe ppp_async; do add_module "$m"; done
for m in "${ORDER[@]}"; do
	cp "$UNPACK/${modpath[$m]}" "$STAGE/lib/modules/$m.ko"
	echo "$m" >>"$STAGE/lib/modules/order"
done

cp "$HERE/guest/init" "$STAGE/init"
chmod 755 "$STAGE/init"
: >"$STAGE/etc/ppp/options"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$STAGE/etc/passwd"
printf 'root:x:0:\n' >"$STAGE/etc/group"
printf '127.0.0.1 localhost\n' >"$STAGE/etc/hosts"

# Uncompressed vmlinux for PVH boot: the bzImage's payload is xz; find the
# xz stream header and decompress from there (trailing data is ignored).
mkdir -p "$IMG.tmp"
off=$(grep -abo $'\xfd7zXZ\x00' "$UNPACK/boot/vmlinuz-$KVER" | head -n1 | cut -d: -f1)
[ -n "$off" ] || { say "no xz payload in vmlinuz-$KVER"; exit 1; }
tail -c +"$((off + 1))" "$UNPACK/boot/vmlinuz-$KVER" | xz -dc 2>/dev/null >"$IMG.tmp/vmlinux" || true
readelf -n "$IMG.tmp/vmlinux" 2>/dev/null | grep -q 'Xen' ||
	say "note: vmlinux has no PVH note; booting it may fail (bzImage kept as fallback)"
cp "$UNPACK/boot/vmlinuz-$KVER" "$IMG.tmp/vmlinuz"
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$IMG.tmp/initrd.gz"
echo "$KVER" >"$IMG.tmp/kernel.version"
mv "$IMG.tmp" "$IMG"
rm -rf "$UNPACK" "$STAGE"
say "image built in $(($(date +%s) - t0)) s: initrd $(du -h "$IMG/initrd.gz" | cut -f1), vmlinux $(du -h "$IMG/vmlinux" | cut -f1)"
echo "$IMG"
