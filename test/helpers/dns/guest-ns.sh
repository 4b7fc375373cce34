#!/bin/sh
# Runs `sh -c SCRIPT ...` as a minimal guest inside a private mount+network namespace (started with
# `unshare -mn`): loopback only, /etc/resolv.conf pointing at the test responder on 127.0.0.1,
# PATH limited to $LG_GUEST_PATH, optionally as the unprivileged uid $LG_AS_USER and with the
# namespace's ping_group_range set to $LG_PING_GROUP_RANGE. Used as
# LocalConnection's shell by unit tests.
set -e
SETPRIV=$(command -v setpriv || true)
ip link set lo up
# The namespace's own net.ipv4.ping_group_range (default "1 0": closed), when a test sets one.
if [ -n "${LG_PING_GROUP_RANGE:-}" ]; then printf '%s\n' "$LG_PING_GROUP_RANGE" > /proc/sys/net/ipv4/ping_group_range; fi
# glibc's AI_ADDRCONFIG wants an IPv4 address other than 127.0.0.1 before it asks for A records.
ip addr add 127.0.0.2/8 dev lo
printf 'nameserver 127.0.0.1\n' > "$LG_TMP/resolv.conf"
mount --bind "$LG_TMP/resolv.conf" /etc/resolv.conf
node "$LG_RESPONDER" $LG_NAMES > "$LG_TMP/responder.out" 2>&1 &
rp=$!
i=0; while ! grep -q ready "$LG_TMP/responder.out" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
export PATH="$LG_GUEST_PATH"
r=0
if [ -n "${LG_AS_USER:-}" ]; then
  # An unprivileged login (uid/gid LG_AS_USER, no groups): what a student's `usuario` is.
  "$SETPRIV" --reuid="$LG_AS_USER" --regid="$LG_AS_USER" --clear-groups "$LG_GUEST_SH" "$@" || r=$?
else
  "$LG_GUEST_SH" "$@" || r=$?
fi
kill "$rp" 2>/dev/null || true
exit $r
