#!/usr/bin/env bash
# Installs the Debian packages uppp needs to build, test and run its demo —
# only those that are missing. Needs root (or sudo).
set -euo pipefail

PKGS=(build-essential openssl cmake pkg-config libpcap-dev libnl-3-dev libnl-route-3-dev nettle-dev
      libcmocka-dev liburing-dev libmicrohttpd-dev iproute2 iputils-ping tcpdump python3 procps nftables
      qemu-system-x86 cpio xz-utils iperf3
      valgrind clang libclang-rt-14-dev
      man-db groff-base mandoc systemd
      tshark)   # test/netns/test_capture.sh: an independent dissector judges our pcap files

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "uppp: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	# tshark's package asks whether non-root users may capture: no
	echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
