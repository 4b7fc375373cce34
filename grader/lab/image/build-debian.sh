#!/bin/bash
# Builds a REAL Debian 12 lab guest from Debian packages (mmdebstrap): systemd, udev, OpenSSH,
# qemu-guest-agent, sudo, iproute2, iputils-ping, bind9-host, and the flavour's network stack.
# Run by grader/lab/image.ts (which decides when a rebuild is needed and publishes the result);
# all arguments are paths chosen by labgrade, never user input. Adapted from the lab recipe
# (shared/reference/lab-recipe/real-debian-guest.md): no loop mounts, `mkfs.ext4 -d` packs the root.
#
#   build-debian.sh OUT_DIR DEB_DIR STATE_DIR FLAVOUR
#
#   OUT_DIR    gets disk.raw (sparse ext4 of the whole root, no partition table: root=/dev/vda),
#              vmlinux (uncompressed ELF, PVH boot) or vmlinuz, initrd.img, versions.txt
#   DEB_DIR    cache of .deb files shared by builds (a warm cache saves the downloads)
#   STATE_DIR  lab secrets (root only): id_ed25519.pub (authorised for root), guest-password
#              (password of `usuario` and of root; sshd refuses root by password, as Debian does),
#              ssh_host_ed25519_key (the guests' fixed OpenSSH host key, pinned in known_hosts)
#   FLAVOUR    nm        Debian 12 as the course installs it: NetworkManager, one DHCP keyfile
#              networkd  server style: systemd-networkd + systemd-resolved, resolv.conf = the
#                        127.0.0.53 stub (the real servers are behind `resolvectl dns`)
#
# Users: root (key; password login refused by sshd), usuario (password, group sudo, bash, PATH
# without sbin). Kernel command line knobs, applied by labgrade-netcfg.service before the network
# starts (the same names as the tiny guest's /init, see build-image.sh):
#   labgrade.hostname=NAME  labgrade.ip=dhcp|none|A.B.C.D/NN  labgrade.gw=  labgrade.dns=A[,B]
#   labgrade.search=DOMAIN  labgrade.fw=icmp-drop  labgrade.ssh=0
# Host tools: mmdebstrap, e2fsprogs >= 1.43 (mkfs -d), xz-utils; apt reaching a Debian archive.
set -euo pipefail
umask 022
[ $# = 4 ] && [ -d "$1" ] && [ -d "$3" ] || { echo "usage: $0 OUT_DIR DEB_DIR STATE_DIR nm|networkd" >&2; exit 2; }
FLAVOUR=$4
case $FLAVOUR in nm|networkd) ;; *) echo "FLAVOUR must be nm or networkd" >&2; exit 2 ;; esac
command -v mmdebstrap >/dev/null || { echo "mmdebstrap missing: apt-get install mmdebstrap (scripts/bootstrap.sh does)" >&2; exit 1; }
mkdir -p "$2"
OUT=$(realpath "$1") DEBS=$(realpath "$2") STATE=$(realpath "$3")
for f in id_ed25519.pub guest-password ssh_host_ed25519_key ssh_host_ed25519_key.pub; do
  [ -s "$STATE/$f" ] || { echo "missing $STATE/$f" >&2; exit 1; }
done
export LC_ALL=C
# apt/mmdebstrap messages name the mirror: keep URLs out of what we print
scrub() { sed -E 's#[a-zA-Z+]+://[^ ]*#<uri>#g'; }

# the build root lives next to the output (not in a small /tmp); a killed mmdebstrap leaves
# proc/sys/dev mounted inside it: unmount below it before removing (never rm -rf through a mount)
# one build at a time (they share DEB_DIR); then sweep what a killed build left
exec 9>"$(dirname "$OUT")/.build-debian.lock"; flock 9
WORK=$(mktemp -d "$(dirname "$OUT")/.build-debian.XXXXXX")
mounts_below() { awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r; }
safe_rm() {
  local m; for m in $(mounts_below "$1"); do umount -l "$m" 2>/dev/null || true; done
  [ -z "$(mounts_below "$1")" ] || { echo "not removing $1: still mounted below it" >&2; return 1; }
  rm -rf --one-file-system "$1"
}
for d in "$(dirname "$OUT")"/.build-debian.*; do   # what a killed build left
  if [ -d "$d" ] && [ "$d" != "$WORK" ]; then safe_rm "$d" || true; fi
done
trap 'safe_rm "$WORK"' EXIT
ROOT=$WORK/root

PKGS="systemd-sysv udev dbus libpam-systemd linux-image-amd64 initramfs-tools openssh-server
      qemu-guest-agent sudo iproute2 iputils-ping bind9-host netbase procps less"
case $FLAVOUR in
  nm) PKGS="$PKGS network-manager" ;;
  networkd) PKGS="$PKGS systemd-resolved" ;;   # networkd itself is in the systemd package
esac

SOURCES=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
          while read -r f; do grep -qE '^[[:space:]]*(deb |Types:.*\bdeb\b)' "$f" && echo "$f"; done || true)
[ -n "$SOURCES" ] || { echo "no apt sources in /etc/apt" >&2; exit 1; }

export FLAVOUR STATE DEBS
cat > "$WORK/setup.sh" <<'EOF'
#!/bin/bash
# before any package is installed: a small initrd (virtio + ext4 only: MODULES=most needs 256 MiB
# of guest RAM just to unpack), written so the kernel's postinst builds it once
set -euo pipefail
R=$1
mkdir -p "$R/etc/initramfs-tools/conf.d" "$R/etc/initramfs-tools/hooks" "$R/var/cache/apt/archives"
printf 'MODULES=list\nRESUME=none\n' > "$R/etc/initramfs-tools/conf.d/labgrade"
cat > "$R/etc/initramfs-tools/hooks/labgrade-virtio" <<'H'
#!/bin/sh
case $1 in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_blk virtio_net virtio_console virtio_rng ext4 crc32c_generic; do manual_add_modules $m; done
H
chmod 755 "$R/etc/initramfs-tools/hooks/labgrade-virtio"
EOF

cat > "$WORK/customize.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
R=$1
echo debian12 > "$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian12\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
rm -f "$R/etc/resolv.conf" "$R/etc/.resolv.conf.systemd-resolved.bak"
if [ "$FLAVOUR" = networkd ]; then ln -s ../run/systemd/resolve/stub-resolv.conf "$R/etc/resolv.conf"; else : > "$R/etc/resolv.conf"; fi
printf '/dev/vda\t/\text4\tdefaults,errors=remount-ro\t0\t1\n' > "$R/etc/fstab"
# users: root by key (sshd's default PermitRootLogin prohibit-password refuses its password),
# usuario by password, in group sudo, as the Debian installer leaves them
install -d -m 700 "$R/root/.ssh"; install -m 600 "$STATE/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
chroot "$R" useradd -m -s /bin/bash -G sudo usuario
PW=$(head -n1 "$STATE/guest-password")
printf 'usuario:%s\nroot:%s\n' "$PW" "$PW" | chroot "$R" chpasswd
# one fixed host key for every lab guest (pinned in the lab's known_hosts)
rm -f "$R"/etc/ssh/ssh_host_*
install -m 600 "$STATE/ssh_host_ed25519_key" "$R/etc/ssh/ssh_host_ed25519_key"
install -m 644 "$STATE/ssh_host_ed25519_key.pub" "$R/etc/ssh/ssh_host_ed25519_key.pub"
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\n' > "$R/etc/ssh/sshd_config.d/labgrade-hostkey.conf"
if [ "$FLAVOUR" = nm ]; then
  # what the installer leaves: one ethernet profile, DHCP, any NIC
  install -d -m 755 "$R/etc/NetworkManager/system-connections"
  printf '[connection]\nid=Wired connection 1\nuuid=%s\ntype=ethernet\nautoconnect=true\nautoconnect-priority=-999\n\n[ethernet]\n\n[ipv4]\nmethod=auto\n\n[ipv6]\naddr-gen-mode=stable-privacy\nmethod=auto\n\n[proxy]\n' \
    "$(cat /proc/sys/kernel/random/uuid)" > "$R/etc/NetworkManager/system-connections/Wired connection 1.nmconnection"
  chmod 600 "$R/etc/NetworkManager/system-connections/"*.nmconnection
else
  install -d -m 755 "$R/etc/systemd/network"
  printf '[Match]\nDriver=virtio_net\n\n[Network]\nDHCP=ipv4\n' > "$R/etc/systemd/network/20-wired.network"
  chroot "$R" systemctl enable -q systemd-networkd.service systemd-resolved.service
fi
# labgrade.* knobs from the kernel command line, applied before the network starts
cat > "$R/usr/local/sbin/labgrade-netcfg" <<'S'
#!/bin/sh
# Applies labgrade.* kernel command line knobs; without labgrade.ip the configuration is left as built.
HN= IP= GW= DNS= SEARCH=
for a in $(cat /proc/cmdline); do
  case $a in
    labgrade.hostname=*) HN=${a#*=} ;;  labgrade.ip=*) IP=${a#*=} ;;  labgrade.gw=*) GW=${a#*=} ;;
    labgrade.dns=*) DNS=${a#*=} ;;      labgrade.search=*) SEARCH=${a#*=} ;;
    labgrade.fw=icmp-drop) sysctl -q -w net.ipv4.icmp_echo_ignore_all=1 ;;
    labgrade.ssh=0) : > /etc/ssh/sshd_not_to_be_run ;;
  esac
done
if [ -n "$HN" ]; then echo "$HN" > /etc/hostname; hostname "$HN"; sed -i "s/^127\.0\.1\.1\s.*/127.0.1.1\t$HN/" /etc/hosts; fi
[ -n "$IP" ] || exit 0
if [ -d /etc/NetworkManager/system-connections ]; then
  # as `nmcli connection modify` writes it
  f=$(ls /etc/NetworkManager/system-connections/*.nmconnection | head -n1)
  id=$(sed -n 's/^id=//p' "$f"); uuid=$(sed -n 's/^uuid=//p' "$f")
  {
    printf '[connection]\nid=%s\nuuid=%s\ntype=ethernet\nautoconnect=true\n\n[ethernet]\n\n[ipv4]\n' "$id" "$uuid"
    case $IP in
      dhcp) echo method=auto ;;
      none) echo method=disabled ;;
      *) echo "address1=$IP${GW:+,$GW}"
         [ -n "$DNS" ] && echo "dns=$(echo "$DNS" | tr , ';');"
         [ -n "$SEARCH" ] && echo "dns-search=$SEARCH;"
         echo method=manual ;;
    esac
    [ "$IP" = none ] && v6=link-local || v6=auto
    printf '\n[ipv6]\naddr-gen-mode=stable-privacy\nmethod=%s\n\n[proxy]\n' "$v6"
  } > "$f.new"
  chmod 600 "$f.new"; mv "$f.new" "$f"
else
  f=/etc/systemd/network/20-wired.network
  {
    printf '[Match]\nDriver=virtio_net\n\n[Network]\n'
    case $IP in
      dhcp) echo DHCP=ipv4 ;;
      none) printf 'DHCP=no\nLinkLocalAddressing=ipv6\n' ;;
      *) echo "Address=$IP"; [ -n "$GW" ] && echo "Gateway=$GW"
         for d in $(echo "$DNS" | tr , ' '); do echo "DNS=$d"; done
         [ -n "$SEARCH" ] && echo "Domains=$SEARCH" ;;
    esac
  } > "$f.new"
  chmod 644 "$f.new"; mv "$f.new" "$f"
fi
S
chmod 755 "$R/usr/local/sbin/labgrade-netcfg"
cat > "$R/etc/systemd/system/labgrade-netcfg.service" <<'S'
[Unit]
Description=labgrade lab knobs from the kernel command line (labgrade.*)
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target NetworkManager.service systemd-networkd.service ssh.service
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/labgrade-netcfg

[Install]
WantedBy=sysinit.target
S
chroot "$R" systemctl enable -q labgrade-netcfg.service
# e2scrub_reap (a no-op without LVM) burns ~20 s of CPU at every boot under TCG
chroot "$R" systemctl mask -q e2scrub_reap.service e2scrub_all.timer
chroot "$R" systemctl enable -q serial-getty@ttyS0.service
# no apt sources in the image (the build's name the mirror); the .debs kept outside it
rm -f "$R"/etc/apt/sources.list.d/* "$R/etc/apt/apt.conf.d/99mmdebstrap"
echo "# emptied by labgrade (offline lab guest)" > "$R/etc/apt/sources.list"
cp -n "$R"/var/cache/apt/archives/*.deb "$DEBS/" 2>/dev/null || true
rm -f "$R"/var/cache/apt/archives/*.deb
EOF
chmod 755 "$WORK/setup.sh" "$WORK/customize.sh"

# shellcheck disable=SC2086
mmdebstrap --mode=root --variant=minbase --format=directory --quiet \
  --include="$(echo $PKGS | tr ' ' ,)" --aptopt='Acquire::Check-Valid-Until "false"' \
  --skip=essential/unlink --skip=download/empty \
  --setup-hook="$WORK/setup.sh \"\$1\"" \
  --setup-hook="sync-in '$DEBS' /var/cache/apt/archives/" \
  --customize-hook="$WORK/customize.sh \"\$1\"" \
  bookworm "$ROOT" $SOURCES 2>&1 | scrub >&2
KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -n1)
[ -s "$ROOT/boot/initrd.img-$KVER" ] || { echo "no initrd in the image" >&2; exit 1; }
cp "$ROOT/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$OUT/initrd.img"
# the bzImage carries an xz-compressed ELF (PVH boot, ~3 s faster under TCG); tail dies of SIGPIPE
# once xz has its one stream: check the ELF magic rather than the pipeline's status
OFF=$(grep -abo $'\xfd7zXZ' "$OUT/vmlinuz" | head -n1 | cut -d: -f1)
{ tail -c +$((OFF + 1)) "$OUT/vmlinuz" || true; } | xz -dc --single-stream > "$OUT/vmlinux" 2>/dev/null || true
[ "$(head -c4 "$OUT/vmlinux" 2>/dev/null)" = $'\x7fELF' ] || rm -f "$OUT/vmlinux"
# shellcheck disable=SC2086
chroot "$ROOT" dpkg-query -W -f '${Package} ${Version}\n' $PKGS > "$OUT/versions.txt"
echo "installed $(chroot "$ROOT" dpkg-query -W -f '${db:Status-Abbrev}\n' | grep -c '^ii') packages" >> "$OUT/versions.txt"
USED_MB=$(du -sm "$ROOT" | cut -f1)
truncate -s "$(( USED_MB * 110 / 100 + 512 ))M" "$OUT/disk.raw"
mkfs.ext4 -q -F -L labgrade-root -d "$ROOT" "$OUT/disk.raw"
chmod 0644 "$OUT"/*
