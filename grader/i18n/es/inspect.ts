// Textos de la inspección del host libvirt (grader/libvirt/), de las comprobaciones del host
// (checks/host/) y de `labgrade inspect`.
export default {
  // ---- errores de virsh (grader/libvirt/virsh.ts)
  'err.virsh-missing': 'no se encuentra el programa virsh ({detail}): instala el cliente de libvirt (Debian: apt install libvirt-clients)',
  'err.bad-uri': 'libvirt no acepta la URI {uri} ({detail}): usa qemu:///system o qemu+ssh://usuario@host/system',
  'err.socket-missing': 'libvirt no está accesible en {uri}: no existe el socket {socket}. ¿Está arrancado el demonio? (systemctl start libvirtd, o virtqemud en sistemas con demonios modulares)',
  'err.daemon-down': 'libvirt no está accesible en {uri}: el socket {socket} rechaza la conexión (el demonio no está en marcha). Arráncalo: systemctl start libvirtd',
  'err.permission': 'sin permiso para usar libvirt en {uri} ({detail}): añade tu usuario al grupo libvirt (sudo adduser $USER libvirt, y vuelve a iniciar sesión) o ejecuta labgrade como root',
  'err.ssh-auth': 'SSH rechazó la autenticación en {host} como {user} ({detail}): instala tu clave pública en el host (ssh-copy-id {user}@{host}) o indica la clave con keyfile= en la URI o hostSsh.keyFile en el fichero del laboratorio. labgrade no puede escribir contraseñas (usa BatchMode)',
  'err.ssh-hostkey-unknown': 'SSH no conoce la clave del host {host} ({detail}): conéctate una vez a mano (ssh {user}@{host}) y comprueba la huella para guardarla en known_hosts',
  'err.ssh-hostkey-changed': '¡La clave SSH del host {host} ha cambiado! ({detail}). Si has reinstalado el host, borra la entrada antigua (ssh-keygen -R {host}); si no, investiga antes de seguir',
  'err.ssh-unreachable': 'no se puede llegar por SSH al host {host} ({detail}): comprueba el nombre o la dirección, que el host esté encendido y que sshd escuche',
  'err.ssh-remote-helper': 'la conexión SSH con {host} funciona, pero allí falta virt-ssh-helper o nc ({detail}): instala libvirt-clients (o netcat) en el host',
  'err.ssh-failed': 'falló la conexión SSH con libvirt en {uri} ({detail})',
  'err.network-not-found': 'la red {subject} no existe en {uri}',
  'err.domain-not-found': 'la máquina virtual {subject} no existe en {uri}',
  'err.domain-not-running': 'la máquina virtual {subject} no está en marcha',
  'err.agent-missing': 'la máquina virtual {subject} no tiene canal del agente de QEMU (org.qemu.guest_agent.0): añádelo en virt-manager (Añadir hardware > Canal)',
  'err.agent-not-connected': 'el agente de QEMU de {subject} no responde ({detail}): instala y arranca qemu-guest-agent en la máquina',
  'err.timeout': 'libvirt no respondió a tiempo en {uri} ({detail})',
  'err.output-too-big': 'la salida de virsh es demasiado grande ({detail})',
  'err.failed': 'virsh falló en {uri}: {detail}',

  // ---- problemas parciales de la instantánea (snapshot.problems)
  'problem.readOnly': 'conexión de solo lectura con libvirt (sin permiso para más: {detail}); no se puede consultar el agente de QEMU. Añade tu usuario al grupo libvirt para una inspección completa',
  'problem.list': 'no se pudo ejecutar virsh {what}: {message}',
  'problem.network': 'red {name}: no se pudo leer su definición: {message}',
  'problem.domain': 'máquina {name}: no se pudo leer su definición o estado: {message}',
  'problem.leases': 'red {name}: no se pudieron leer las concesiones DHCP: {message}',
  'problem.leaseLine': 'red {name}: línea de concesión DHCP no reconocida: {line}',
  'problem.agent': 'máquina {name}: no se pudo consultar el agente de QEMU: {message}',
};
