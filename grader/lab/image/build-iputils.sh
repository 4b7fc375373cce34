#!/bin/bash
# Builds the `iputils-ping` lab guest: the `tiny` guest (build-image.sh, run first into OUT_DIR)
# changed into what a student's minimal Debian often is, where a probe's choice of tool matters:
#   - busybox-static is installed as Debian ships it (NOT setuid): its `timeout` (a busybox applet,
#     /usr/bin/timeout) prefers applets, so `timeout 2 ping ...` would run busybox's own `ping`
#     applet, which needs a raw socket and refuses a user ("permission denied (are you root?)");
#   - /usr/bin/ping is iputils' ping (from the host's iputils-ping), which an unprivileged user may
#     run through an ICMP datagram socket, since /init opens net.ipv4.ping_group_range (as Debian's
#     systemd does: "0 2147483647").
# So the unprivileged `usuario` can ping only when labgrade runs the ping that `command -v` found.
#
#   build-iputils.sh OUT_DIR DEB_DIR STATE_DIR [iputils]
#
# Host tools needed: those of build-image.sh, plus the host's /usr/bin/ping (iputils-ping).
set -euo pipefail
umask 022
[ $# = 3 ] || [ $# = 4 ] && [ -d "$1" ] && [ -d "$3" ] || { echo "usage: $0 OUT_DIR DEB_DIR STATE_DIR [iputils]" >&2; exit 2; }
HERE=$(dirname "$(realpath "$0")")
OUT=$(realpath "$1")
bash "$HERE/build-image.sh" "$1" "$2" "$3" tiny
PING=/usr/bin/ping
[ -x "$PING" ] && "$PING" -V 2>&1 | grep -q iputils || { echo "$PING is not iputils' ping (apt-get install iputils-ping)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labgrade-iputils.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT"
cd "$ROOT"
gzip -dc "$OUT/initrd.img" | cpio -i -d --quiet --no-absolute-filenames

chmod 0755 usr/bin/busybox
rm -f usr/bin/ping
install -m 0755 "$PING" usr/bin/ping
ldd "$PING" | awk '/=>/ {print $3}' | while read -r lib; do
  [ -n "$lib" ] || continue
  t="usr/lib/x86_64-linux-gnu/$(basename "$lib")"
  [ -e "$t" ] || cp -L "$lib" "$t"
done
echo "iputils-ping $(dpkg-query -W -f='${Version}' iputils-ping 2>/dev/null || echo '?') (host)" >> "$OUT/versions.txt"
echo iputils-ping > etc/labgrade-flavour
# Open unprivileged ICMP (datagram) sockets to every group, before anything starts.
sed -i 's|^exec /sbin/init$|echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range\nexec /sbin/init|' init
grep -q 'ping_group_range' init || { echo "could not patch /init" >&2; exit 1; }

find . -print0 | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 > "$OUT/initrd.img"
chmod 0644 "$OUT"/*
