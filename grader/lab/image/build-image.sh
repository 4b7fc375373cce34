#!/bin/bash
# Builds labgrade's lab guest: a Debian kernel booted directly by QEMU plus an initramfs that is
# the whole guest system. Run by grader/lab/image.ts (which decides when a rebuild is needed);
# all arguments are paths chosen by labgrade, never user input.
#
#   build-image.sh OUT_DIR DEB_DIR STATE_DIR [tiny|busybox]
#
#   OUT_DIR    gets vmlinux (uncompressed ELF, boots ~3 s faster under TCG via PVH), vmlinuz,
#              initrd.img and versions.txt (the Debian packages used)
#   DEB_DIR    cache of downloaded .deb files (reused by later builds)
#   STATE_DIR  lab secrets (root only): id_ed25519.pub (authorised for root in the guest),
#              guest-password (root's password in the guest), dropbear_ed25519_host_key (the
#              guests' fixed SSH host key; created here the first time, with its .pub)
#   VARIANT    tiny (default): as below. busybox: a busybox-only guest, as on minimal systems:
#              /bin/sh is busybox ash, `ip`, `ping`, `nslookup`, `udhcpc` are busybox's (no
#              iproute2, no getent, no iptables, no dash); the DHCP address has no lifetime
#
# Guest contents: Debian's kernel (linux-image-amd64) and its virtio + netfilter modules,
# busybox-static (ping, nslookup, udhcpc, init), dash as /bin/sh (busybox's ash would run its own
# `ip` applet before $PATH), dropbear (SSH, key + password), qemu-guest-agent, and from the host's
# Debian packages: iproute2's `ip` (for `ip -j`), libc-bin's `getent`, iptables (legacy backend).
# Users: root (key or password) and `usuario` (the same password; PATH without sbin, as dropbear
# gives non-root users).
# Host tools needed: apt-get, dpkg, cpio, gzip, xz, openssl (password hash), ldd.
#
# Kernel command line knobs read by the guest's /init (all optional):
#   labgrade.hostname=NAME
#   labgrade.ip=dhcp|none|A.B.C.D/NN      (default dhcp; dhcp keeps retrying where no server answers)
#   labgrade.gw=A.B.C.D  labgrade.dns=A.B.C.D[,A.B.C.D]  labgrade.search=DOMAIN   (static only)
#   labgrade.fw=icmp-drop                  (iptables: drop ICMP echo requests, TCP still answered)
#   labgrade.ssh=0                         (no SSH server: reachable through the guest agent only)
set -euo pipefail
umask 022
[ $# = 3 ] || [ $# = 4 ] && [ -d "$1" ] && [ -d "$3" ] || { echo "usage: $0 OUT_DIR DEB_DIR STATE_DIR [tiny|busybox]" >&2; exit 2; }
VARIANT=${4:-tiny}
case $VARIANT in tiny|busybox) ;; *) echo "VARIANT must be tiny or busybox" >&2; exit 2 ;; esac
mkdir -p "$2"
OUT=$(realpath "$1") DEBS=$(realpath "$2") STATE=$(realpath "$3")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labgrade-image.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/stage ROOT=$WORK/root
mkdir -p "$STAGE" "$ROOT"
export LC_ALL=C

# ---- 1. Debian packages: download (cached) and unpack without installing --------------------
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$KPKG" ] || { echo "cannot resolve the kernel package of linux-image-amd64 (apt-get update?)" >&2; exit 1; }
PKGS="$KPKG busybox-static dropbear-bin libtomcrypt1 libtommath1 qemu-guest-agent"
[ "$VARIANT" = busybox ] || PKGS="$PKGS dash"
: > "$OUT/versions.txt"
for p in $PKGS; do
  v=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2; exit}')
  [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "package $p has no candidate version" >&2; exit 1; }
  echo "$p $v" >> "$OUT/versions.txt"
  deb=$(ls "$DEBS/${p}_"*.deb 2>/dev/null | while read -r f; do
          [ "$(dpkg-deb -f "$f" Version)" = "$v" ] && echo "$f"; done | head -n1 || true)
  if [ -z "$deb" ]; then
    ( cd "$DEBS" && apt-get download "$p=$v" 2>&1 | grep -v 'Download is performed unsandboxed' >&2 || true )
    deb=$(ls -t "$DEBS/${p}_"*.deb | head -n1)
  fi
  if [ "$p" = "$KPKG" ]; then
    # only the kernel and the few modules the guest loads (dpkg -x would write 400 MB of modules)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$STAGE" --wildcards './boot/vmlinuz-*' \
      '*/virtio*' '*/failover.ko*' '*/net_failover.ko*' '*/x_tables.ko*' '*/ip_tables.ko*' '*/iptable_filter.ko*'
  else
    dpkg -x "$deb" "$STAGE"
  fi
done
KVER=$(ls "$STAGE/lib/modules" | head -n1)
cp "$STAGE/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
# The bzImage carries an xz-compressed ELF (Debian: CONFIG_KERNEL_XZ, CONFIG_PVH=y): extract it.
OFF=$(grep -abo $'\xfd7zXZ' "$OUT/vmlinuz" | head -n1 | cut -d: -f1)
tail -c +$((OFF + 1)) "$OUT/vmlinuz" | xz -dc --single-stream > "$OUT/vmlinux" 2>/dev/null || true
[ -s "$OUT/vmlinux" ] || rm -f "$OUT/vmlinux"

# ---- 2. skeleton (merged /usr) ----------------------------------------------------------------
cd "$ROOT"
mkdir -p usr/bin usr/sbin usr/lib/x86_64-linux-gnu/xtables usr/lib64 lib/modules etc/dropbear \
         root/.ssh proc sys dev run tmp var/lib var/log
ln -s usr/bin bin; ln -s usr/sbin sbin; ln -s usr/lib lib; ln -s usr/lib64 lib64; ln -s ../run var/run
chmod 700 root root/.ssh; chmod 1777 tmp

cp "$STAGE/bin/busybox" usr/bin/busybox
# setuid root, as busybox systems ship it so that users can ping: busybox keeps the privilege only
# for applets that need it (ping) and drops it for every other applet (sh, cat, ip... run as the user)
chmod 4755 usr/bin/busybox
for a in $("$STAGE/bin/busybox" --list-full); do
  [ -e "$a" ] || [ -L "$a" ] || ln -s /usr/bin/busybox "$a"
done

# copy a dynamically linked binary plus the libraries it needs (staged ones first, then the host's)
add_bin() { # SRC DST
  install -D -m 0755 "$1" "$ROOT/$2"
  LD_LIBRARY_PATH="$STAGE/usr/lib/x86_64-linux-gnu:$STAGE/lib/x86_64-linux-gnu" ldd "$1" |
  awk '/=>/ {print $3} $1 ~ /^\/lib64\// {print $1}' | while read -r lib; do
    [ -n "$lib" ] || continue
    case $lib in
      */ld-linux-x86-64.so.2) cp -L "$lib" "$ROOT/usr/lib64/ld-linux-x86-64.so.2" ;;
      *) cp -L "$lib" "$ROOT/usr/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
    esac
  done
}
add_bin "$STAGE/usr/sbin/dropbear" usr/sbin/dropbear
add_bin "$STAGE/usr/sbin/qemu-ga" usr/sbin/qemu-ga
if [ "$VARIANT" = tiny ]; then
  rm -f usr/bin/ip usr/sbin/ip;           add_bin /usr/bin/ip usr/sbin/ip   # iproute2 (ip -j)
  rm -f usr/bin/getent;                   add_bin /usr/bin/getent usr/bin/getent
  rm -f usr/bin/sh; add_bin "$(ls "$STAGE"/bin/dash "$STAGE"/usr/bin/dash 2>/dev/null | head -n1)" usr/bin/sh
  add_bin /usr/sbin/xtables-legacy-multi usr/sbin/xtables-legacy-multi
  for l in iptables iptables-save iptables-restore; do ln -sf xtables-legacy-multi "usr/sbin/$l"; done
  for x in libxt_standard libipt_icmp libxt_tcp libxt_udp libxt_conntrack libxt_state; do
    [ -f "/usr/lib/x86_64-linux-gnu/xtables/$x.so" ] &&
      cp "/usr/lib/x86_64-linux-gnu/xtables/$x.so" usr/lib/x86_64-linux-gnu/xtables/
  done
fi

# kernel modules: virtio (net, console for the agent, rng), failover, netfilter (iptables filter)
MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover
      virtio_net virtio_console virtio-rng"
FWMODS="x_tables ip_tables iptable_filter"
for m in $MODS $FWMODS; do
  f=$(find "$STAGE/lib/modules/$KVER" \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -n1)
  [ -n "$f" ] || { echo "kernel module $m not found (built in?)" >&2; continue; }
  case $f in *.xz) xz -dc "$f" > "lib/modules/$m.ko" ;; *) cp "$f" "lib/modules/$m.ko" ;; esac
done
echo $MODS > lib/modules/order
echo $FWMODS > lib/modules/order.fw

# qemu-ga's guest-shutdown runs `shutdown -P|-H|-r +0`; busybox has no shutdown applet
printf '#!/bin/sh\ncase " $* " in *" -r "*) exec reboot -f ;; *) exec poweroff -f ;; esac\n' > usr/sbin/shutdown
chmod 755 usr/sbin/shutdown

# ---- 3. accounts, SSH ---------------------------------------------------------------------------
printf 'root:x:0:0:root:/root:/bin/sh\nusuario:x:1000:1000:usuario:/home/usuario:/bin/sh\n' > etc/passwd
HASH=$(openssl passwd -6 -stdin < "$STATE/guest-password")
case $HASH in '$6$'*) ;; *) echo "could not hash the guest password" >&2; exit 1 ;; esac
printf 'root:%s:19000:0:99999:7:::\nusuario:%s:19000:0:99999:7:::\n' "$HASH" "$HASH" > etc/shadow; chmod 600 etc/shadow
printf 'root:x:0:\nusuario:x:1000:\n' > etc/group
mkdir -p home/usuario   # (owned by root once packed: the user needs no writable home here)
echo "$VARIANT" > etc/labgrade-variant
printf '/bin/sh\n' > etc/shells
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' > etc/nsswitch.conf
printf '127.0.0.1 localhost\n::1 localhost\n' > etc/hosts
cp "$STATE/id_ed25519.pub" root/.ssh/authorized_keys; chmod 600 root/.ssh/authorized_keys
DBLIB="$STAGE/usr/lib/x86_64-linux-gnu:$STAGE/lib/x86_64-linux-gnu"
if [ ! -s "$STATE/dropbear_ed25519_host_key" ]; then
  LD_LIBRARY_PATH=$DBLIB "$STAGE/usr/bin/dropbearkey" -t ed25519 -f "$STATE/dropbear_ed25519_host_key" >/dev/null
  chmod 600 "$STATE/dropbear_ed25519_host_key"
fi
LD_LIBRARY_PATH=$DBLIB "$STAGE/usr/bin/dropbearkey" -y -f "$STATE/dropbear_ed25519_host_key" |
  awk '/^ssh-ed25519 / {print $1, $2}' > "$STATE/dropbear_ed25519_host_key.pub"
cp "$STATE/dropbear_ed25519_host_key" etc/dropbear/dropbear_ed25519_host_key
chmod 600 etc/dropbear/dropbear_ed25519_host_key

# ---- 4. DHCP client hook: the address carries the lease lifetime (shows as `dynamic`) -----------
cat > etc/udhcpc.script <<'EOF'
#!/bin/sh
# busybox udhcpc hook (env: interface ip mask router dns domain lease)
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    old=$(cat /run/dhcp.ip 2>/dev/null || true)
    [ "$1" = bound ] || [ "$old" != "$ip" ] && ip -4 addr flush dev "$interface"
    if [ "$(cat /etc/labgrade-variant)" = tiny ]; then   # iproute2: the lease lifetime shows
      ip addr replace "$ip/${mask:-24}" broadcast + dev "$interface" \
        valid_lft "${lease:-3600}" preferred_lft "${lease:-3600}"
    elif [ "$1" = bound ] || [ "$old" != "$ip" ]; then   # busybox ip: no lifetimes, no replace
      ip addr add "$ip/${mask:-24}" broadcast + dev "$interface"
    fi
    echo "$ip" > /run/dhcp.ip
    ip -4 route del default dev "$interface" 2>/dev/null || true
    for r in $router; do ip route add default via "$r" dev "$interface"; break; done
    { [ -n "$domain" ] && echo "search $domain"
      for d in $dns; do echo "nameserver $d"; done; } > /etc/resolv.conf.new
    mv /etc/resolv.conf.new /etc/resolv.conf
    echo "LABGRADE: dhcp $1 $ip/$mask gw=$router dns=$dns lease=$lease" > /dev/console ;;
esac
exit 0
EOF
chmod 755 etc/udhcpc.script

# ---- 5. /init -------------------------------------------------------------------------------------
cat > init <<'EOF'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm; mount -t devpts -o gid=0,mode=620 devpts /dev/pts
mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko 2>/dev/null; done
HN=guest IP=dhcp GW= DNS= SEARCH= FW= SSH=1
for a in $(cat /proc/cmdline); do
  case $a in
    labgrade.hostname=*) HN=${a#*=} ;;  labgrade.ip=*) IP=${a#*=} ;;
    labgrade.gw=*) GW=${a#*=} ;;        labgrade.dns=*) DNS=${a#*=} ;;
    labgrade.search=*) SEARCH=${a#*=} ;; labgrade.fw=*) FW=${a#*=} ;;
    labgrade.ssh=*) SSH=${a#*=} ;;
  esac
done
hostname "$HN"; echo "$HN" > /etc/hostname
for f in all default; do echo 0 > /proc/sys/net/ipv6/conf/$f/disable_ipv6 2>/dev/null; done   # fe80:: on every link
ip link set lo up; ip link set eth0 up 2>/dev/null
: > /etc/resolv.conf
if [ "$FW" = icmp-drop ]; then
  for m in $(cat /lib/modules/order.fw); do insmod /lib/modules/$m.ko 2>/dev/null; done
  iptables -A INPUT -p icmp --icmp-type echo-request -j DROP ||
    echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all
fi
: > /etc/inittab
[ "$SSH" = 0 ] || echo "::respawn:/usr/sbin/dropbear -F -E -R -p 22" >> /etc/inittab
case $IP in
  dhcp) echo "::respawn:/sbin/udhcpc -f -T 2 -t 30 -A 1 -i eth0 -s /etc/udhcpc.script -x hostname:$HN" >> /etc/inittab ;;
  none) ;;
  *) ip addr add "$IP" broadcast + dev eth0
     [ -n "$GW" ] && ip route add default via "$GW"
     { [ -n "$SEARCH" ] && echo "search $SEARCH"
       for d in $(echo "$DNS" | tr , ' '); do echo "nameserver $d"; done; } > /etc/resolv.conf ;;
esac
# the guest agent's virtio-serial port (udev would make this link)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat $p/name 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
    mkdir -p /dev/virtio-ports; ln -sf /dev/${p##*/} /dev/virtio-ports/org.qemu.guest_agent.0
  done
  [ -e /dev/virtio-ports/org.qemu.guest_agent.0 ] && break; sleep 0.2
done
[ -e /dev/virtio-ports/org.qemu.guest_agent.0 ] &&
  echo "::respawn:/usr/sbin/qemu-ga -m virtio-serial -p /dev/virtio-ports/org.qemu.guest_agent.0" >> /etc/inittab
echo "LABGRADE: init done hostname=$HN ip=$IP fw=$FW ssh=$SSH uptime=$(cut -d' ' -f1 /proc/uptime)" > /dev/console
exec /sbin/init
EOF
chmod 755 init

# ---- 6. pack ------------------------------------------------------------------------------------
find . -print0 | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 > "$OUT/initrd.img"
chmod 0644 "$OUT"/*
