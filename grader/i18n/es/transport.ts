// Textos de los transportes hacia las máquinas invitadas (grader/transports/: SSH, agente de QEMU,
// flujos por netns o salto, y la elección del acceso en open.ts).
export default {
  // ---- flujos TCP (stream.ts)
  tcpTimeout: 'la conexión TCP con {target} no se completó en {ms} ms',
  tcpFailed: 'conexión TCP con {target}: {detail}',
  netnsBad: 'nombre de espacio de red no válido: {name} (solo letras, cifras, . _ -)',
  netnsSpawn: 'no se pudo ejecutar «{command} netns exec» ({detail}): hace falta iproute2 y permisos de root',
  netnsExit: '«{command}» terminó con código {code} sin abrir la conexión{detail}',
  jumpTimeout: 'el reenvío hacia {target} a través de {via} no respondió a tiempo',
  jumpFailed: 'el host de salto {via} no pudo abrir {target}: {detail}',
  jumpNotConnected: 'el host de salto {via} no está conectado: {detail}',
  // ---- SSH (ssh.ts)
  keyUnreadable: 'no se puede leer el fichero de clave SSH {file}: {detail}',
  keyEncrypted: 'la clave SSH {file} está cifrada con frase de paso: cárgala en ssh-agent (ssh-add) y pon «agent: true» en el acceso ssh de la máquina en el fichero del laboratorio',
  keyInvalid: 'el fichero {file} no es una clave privada SSH legible: {detail}',
  noCredentials:
    'no hay credenciales SSH: indica key, password o «agent: true» (con SSH_AUTH_SOCK) en el acceso ssh de la máquina en el fichero del laboratorio, o deja una clave en ~/.ssh',
  noCredentialsUri:
    'no hay credenciales SSH para entrar en {target} (el host de {uri}): no hay ssh-agent (SSH_AUTH_SOCK no está definida) ni ninguna clave en ~/.ssh (id_ed25519, id_ecdsa, id_rsa). Crea una con ssh-keygen -t ed25519 e instálala con {copyId}, o nombra una con keyfile= en la URI',
  noCredentialsHost:
    'no hay credenciales SSH para entrar en {target} (el host de {uri}): no hay ssh-agent (SSH_AUTH_SOCK no está definida) ni ninguna clave en ~/.ssh (id_ed25519, id_ecdsa, id_rsa). Crea una con ssh-keygen -t ed25519 e instálala con {copyId}, o pon una clave en host_ssh del fichero del laboratorio',
  noCredentialsHostSsh: 'no hay credenciales SSH para {target}: pon key, password o «agent: true» (con SSH_AUTH_SOCK) en host_ssh del fichero del laboratorio',
  noTeacherCredential:
    'no hay credenciales para {host}: este fichero del laboratorio lo entregó un alumno, así que las contraseñas y claves vienen de las credenciales (credentials) de la lista de clase, y ninguna nombra {host}',
  noOwnPassword:
    'no hay contraseña para {host}: el fichero del laboratorio no la indica (así lo escribe labgrade init); haz export {env}=... antes de comprobar, o ejecuta labgrade en un terminal, donde te la pide',
  passwordPrompt: 'Contraseña de {user} en la máquina {role} (o define {env}): ',
  knownHostsUnreadable: 'no se puede leer known_hosts: {detail}',
  hostkeyRevoked: 'la clave de host de {host} está marcada como @revoked en {where}',
  hostkeyChanged:
    '¡la clave de host de {host} (puerto {port}) HA CAMBIADO! (conocida en {where}). Si la máquina se reinstaló, borra esa línea ({fix}); si no, alguien podría estar interceptando la conexión',
  hostkeyTypeGone:
    '{host} ya no ofrece el tipo de clave {types} que se conoce de él ({where}); si la máquina se reinstaló, borra esas líneas',
  hostkeyUnknown:
    'la clave de host de {host} (puerto {port}) no está en {files}: pon «accept_new_host_key: true» en el acceso ssh de la máquina en el fichero del laboratorio para fijarla en el primer uso, o añádela con ssh-keyscan',
  hostkeyPinFailed: 'no se pudo guardar la clave de host en {file}: {detail}',
  authFailed: 'autenticación rechazada ({detail}): revisa el usuario, la clave, la contraseña o ssh-agent en el fichero del laboratorio',
  handshakeTimeout: 'la negociación SSH no terminó a tiempo ({detail})',
  sshFailed: 'fallo de SSH: {detail}',
  handshakeClosed: 'la conexión se cerró durante la negociación SSH',
  execRefused: 'el servidor se negó a ejecutar una orden: {detail}',
  connectionLost: 'se perdió la conexión: {detail}',
  connectionLostDuring: 'se perdió la conexión durante una orden: {detail}',
  closedByPeer: 'el otro extremo cerró la conexión',
  // ---- agente de QEMU (agent.ts)
  agentNotConnected:
    'el agente de QEMU de {domain} no respondió en {seconds, number} s: instala y arranca qemu-guest-agent en la máquina (o espera a que termine de arrancar)',
  agentBadReply: 'respuesta inesperada del agente de QEMU de {domain} a {command}: {detail}',
  agentExecFailed: 'el agente de QEMU de {domain} no pudo ejecutar {path}: {detail}',
  agentOutputTooBig: 'la salida de la orden superó el límite de lectura de virsh y se descartó',
  // ---- elección del acceso (open.ts)
  noAccess: 'el fichero del laboratorio no da ningún método de acceso para {role}',
  domainMissing: 'la máquina {domain} no existe en {uri}',
  domainNotRunning: 'la máquina {domain} no está en marcha (estado: {state}): arráncala',
  noAgentChannel: 'la máquina {domain} no tiene canal del agente de QEMU (org.qemu.guest_agent.0)',
  veryIsolated:
    'la red {network} no tiene dirección del host (muy aislada): desde el host no se llega por red a la máquina; hace falta el agente de QEMU (access: agent)',
  noAddress:
    'no se pudo averiguar la dirección de {domain}: ni el agente de QEMU ({agent}) ni las concesiones DHCP de {network} la dan; indica host: en el fichero del laboratorio',
  addressMismatch:
    'la dirección {address} (concesión DHCP, solo una pista) no pertenece a {domain}: dentro de la máquina no hay ninguna interfaz con la MAC {mac} y esa dirección. Probablemente la concesión es antigua',
  identityUnverified:
    'no se pudo comprobar que {address} sea {domain} (MAC {mac}), así que no se usó esta dirección: {why}',
  usedUnverified: 'usada sin comprobar que la dirección sea esta máquina (no funcionó nada más): {why}',
  agentUnverified: 'dirección dada por el agente de QEMU; no se pudo comprobar dentro de la máquina: {why}',
  viaLab: 'dirección del fichero del laboratorio',
  viaAgentAddress: 'dirección dada por el agente de QEMU de la máquina, comprobada dentro de ella',
  viaLease: 'dirección de la concesión DHCP de libvirt, comprobada dentro de la máquina',
  viaAgent: 'agente de QEMU (virsh qemu-agent-command)',
  identityWhat: 'la identidad de la dirección',
  unreachableGuest: 'no se pudo entrar en {role} ({domain}): {tried}',
};
