#!/usr/bin/env bash
# Makes a checkout ready to run: Debian packages the lab and the tests need (as root, only those
# missing), npm dependencies (npm ci, only when package-lock.json changed), and the build (tsc).
# Idempotent and quick when nothing changed; run by `npm test`, `npm run demo` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  # the lab: libvirt + QEMU + dnsmasq + NAT, in network namespaces
  libvirt-daemon libvirt-clients libvirt-daemon-driver-qemu libvirt-daemon-config-network
  dnsmasq-base iptables qemu-system-x86 iproute2 iputils-ping procps util-linux
  # the guest image is built from Debian packages unpacked with dpkg -x; the Debian guest flavours
  # (docs/en/lab-flavours.md) with mmdebstrap, packed by mkfs.ext4 -d
  cpio xz-utils gzip libc-bin mmdebstrap e2fsprogs
  # SSH (the remote-libvirt tests run an sshd), TLS certificates for the WinRM tests
  openssh-client openssh-server openssl ca-certificates
  # the independent WinRM client used as a cross-check, and the browser for the HTML report tests
  python3 python3-winrm chromium fonts-dejavu-core
  # the peer benchmark (bench/vs-testinfra.mjs): pytest-testinfra over paramiko
  python3-testinfra python3-paramiko python3-pytest
  # the probe scripts are tested on busybox applets (test/unit/probes/real-tools.test.ts)
  busybox
)

if [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "bootstrap: not root: skipping Debian packages (the lab, the demo and lab tests need root)" >&2
fi

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.labgrade-lock-sum ] || [ "$(cat node_modules/.labgrade-lock-sum)" != "$lock_sum" ]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.labgrade-lock-sum
fi

npm run --silent build
