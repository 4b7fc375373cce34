#!/bin/bash
# Builds the router overlay of labgrade's lab guest (grader/lab/router.ts): an initramfs fragment
# appended to the guest's initrd.img (the kernel unpacks concatenated archives in order) that adds
# what a Linux router/NAT needs and the tiny guest lacks: the kernel's NAT modules (conntrack,
# nf_nat, iptable_nat, xt_MASQUERADE and their dependencies, in load order) and iptables'
# MASQUERADE extension. All arguments are paths chosen by labgrade, never user input.
#
#   build-router-overlay.sh BASE_INITRD KERNEL_DEB OUT_INITRD
set -euo pipefail
umask 022
[ $# = 3 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: $0 BASE_INITRD KERNEL_DEB OUT_INITRD" >&2; exit 2; }
BASE=$(realpath "$1") KDEB=$(realpath "$2") OUT=$3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labgrade-router.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C
# load order: crc32c before libcrc32c, defrag before conntrack, conntrack before nat, tables before their users
MODS="crc32c_generic libcrc32c nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack nf_nat x_tables ip_tables iptable_nat xt_MASQUERADE"
PATS=()
for m in $MODS; do PATS+=("*/$m.ko*"); done
mkdir -p "$WORK/stage" "$WORK/root/lib/modules/router" "$WORK/root/usr/lib/x86_64-linux-gnu/xtables"
dpkg-deb --fsys-tarfile "$KDEB" | tar -x -C "$WORK/stage" --wildcards "${PATS[@]}"
for m in $MODS; do
  f=$(find "$WORK/stage" \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -n1)
  [ -n "$f" ] || { echo "kernel module $m not found in $KDEB" >&2; exit 1; }
  case $f in *.xz) xz -dc "$f" > "$WORK/root/lib/modules/router/$m.ko" ;; *) cp "$f" "$WORK/root/lib/modules/router/$m.ko" ;; esac
done
echo $MODS > "$WORK/root/lib/modules/router/order"
cp /usr/lib/x86_64-linux-gnu/xtables/libxt_MASQUERADE.so "$WORK/root/usr/lib/x86_64-linux-gnu/xtables/"
mkdir -p "$WORK/root/etc/iptables"
( cd "$WORK/root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 ) > "$WORK/overlay.gz"
cat "$BASE" "$WORK/overlay.gz" > "$OUT.tmp"
chmod 0644 "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
