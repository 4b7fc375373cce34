import type es from '../es/transport.js';

export default {
  tcpTimeout: 'TCP connection to {target} did not complete in {ms} ms',
  tcpFailed: 'TCP connection to {target}: {detail}',
  netnsBad: 'invalid network namespace name: {name} (letters, digits, . _ - only)',
  netnsSpawn: 'could not run `{command} netns exec` ({detail}): iproute2 and root privileges are needed',
  netnsExit: '`{command}` exited with code {code} without opening the connection{detail}',
  jumpTimeout: 'forwarding to {target} through {via} did not answer in time',
  jumpFailed: 'the jump host {via} could not open {target}: {detail}',
  jumpNotConnected: 'the jump host {via} is not connected: {detail}',
  keyUnreadable: 'cannot read the SSH key file {file}: {detail}',
  keyEncrypted: 'the SSH key {file} is protected by a passphrase: load it into ssh-agent (ssh-add) and set "agent: true" in the ssh access of the VM in the lab file',
  keyInvalid: 'the file {file} is not an SSH private key labgrade can read: {detail}',
  noCredentials:
    'no SSH credentials: set key, password or "agent: true" (with SSH_AUTH_SOCK) in the ssh access of the VM in the lab file, or put a key in ~/.ssh',
  noCredentialsUri:
    'no SSH credentials to log into {target} (the host of {uri}): no ssh-agent is running (SSH_AUTH_SOCK is not set) and there is no key in ~/.ssh (id_ed25519, id_ecdsa, id_rsa). Create one with ssh-keygen -t ed25519 and install it with {copyId}, or name one with keyfile= in the URI',
  noCredentialsHost:
    'no SSH credentials to log into {target} (the host of {uri}): no ssh-agent is running (SSH_AUTH_SOCK is not set) and there is no key in ~/.ssh (id_ed25519, id_ecdsa, id_rsa). Create one with ssh-keygen -t ed25519 and install it with {copyId}, or set a key in host_ssh of the lab file',
  noCredentialsHostSsh: 'no SSH credentials for {target}: set key, password or "agent: true" (with SSH_AUTH_SOCK) in host_ssh of the lab file',
  noTeacherCredential:
    "no credentials for {host}: this lab file was handed in by a student, so its passwords and keys come from the roster's credentials, and none names {host}",
  noOwnPassword:
    'no password for {host}: the lab file names none (as labgrade init writes it); export {env}=... before checking, or run labgrade on a terminal, where it asks for it',
  passwordPrompt: 'Password of {user} on the {role} VM (or set {env}): ',
  knownHostsUnreadable: 'cannot read known_hosts: {detail}',
  hostkeyRevoked: 'the host key of {host} is marked @revoked in {where}',
  hostkeyChanged:
    'the host key of {host} (port {port}) has CHANGED! (known in {where}). If the machine was reinstalled, remove that line ({fix}); otherwise someone may be intercepting the connection',
  hostkeyTypeGone:
    '{host} no longer offers the key type {types} known for it ({where}); if the machine was reinstalled, remove those lines',
  hostkeyUnknown:
    'the host key of {host} (port {port}) is not in {files}: set "accept_new_host_key: true" in the ssh access of the VM in the lab file to pin it on first use, or add it with ssh-keyscan',
  hostkeyPinFailed: 'could not save the host key into {file}: {detail}',
  authFailed: 'authentication rejected ({detail}): check the user, key, password or ssh-agent in the lab file',
  handshakeTimeout: 'the SSH handshake did not finish in time ({detail})',
  sshFailed: 'SSH failure: {detail}',
  handshakeClosed: 'the connection closed during the SSH handshake',
  execRefused: 'the server refused to run a command: {detail}',
  connectionLost: 'connection lost: {detail}',
  connectionLostDuring: 'connection lost during a command: {detail}',
  closedByPeer: 'the other side closed the connection',
  agentNotConnected:
    'the QEMU guest agent of {domain} did not answer within {seconds, number} s: install and start qemu-guest-agent in the guest (or wait until it has booted)',
  agentBadReply: 'unexpected reply of the QEMU guest agent of {domain} to {command}: {detail}',
  agentExecFailed: 'the QEMU guest agent of {domain} could not run {path}: {detail}',
  agentOutputTooBig: "the command's output exceeded virsh's read limit and was discarded",
  noAccess: 'the lab file gives no access method for {role}',
  domainMissing: 'the domain {domain} does not exist on {uri}',
  domainNotRunning: 'the domain {domain} is not running (state: {state}): start it',
  noAgentChannel: 'the domain {domain} has no QEMU guest agent channel (org.qemu.guest_agent.0)',
  veryIsolated:
    'the network {network} has no host address (very isolated): the host cannot reach the guest over the network; the QEMU guest agent is needed (access: agent)',
  noAddress:
    "could not find the address of {domain}: neither the QEMU guest agent ({agent}) nor {network}'s DHCP leases give one; set host: in the lab file",
  addressMismatch:
    'the address {address} (a DHCP lease, only a hint) does not belong to {domain}: inside the guest no interface has MAC {mac} with that address. The lease is probably stale',
  identityUnverified:
    'could not check that {address} is {domain} (MAC {mac}), so this address was not used: {why}',
  usedUnverified: 'used without checking that the address is this machine (nothing else worked): {why}',
  agentUnverified: 'address given by the QEMU guest agent; could not be checked inside the machine: {why}',
  viaLab: 'address from the lab file',
  viaAgentAddress: "address given by the machine's QEMU guest agent, checked inside it",
  viaLease: "address from libvirt's DHCP lease, checked inside the machine",
  viaAgent: 'QEMU guest agent (virsh qemu-agent-command)',
  identityWhat: 'the identity of the address',
  unreachableGuest: 'could not get into {role} ({domain}): {tried}',
} satisfies Record<keyof typeof es, string>;
