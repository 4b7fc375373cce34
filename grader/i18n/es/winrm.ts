// Mensajes del cliente WinRM (grader/transports/winrm/). Nunca contienen contraseñas.
export default {
  refused: 'conexión rechazada en el puerto {port} (¿está WinRM activo? En la máquina virtual: winrm quickconfig)',
  unreachable: 'no se puede llegar a la máquina virtual: {detail}',
  timeout: 'sin respuesta en {ms} ms',
  closed: 'el servidor cerró la conexión a mitad de una petición ({detail})',
  tls: 'error TLS: {detail} (indica la CA con ca_file en el acceso winrm del fichero del laboratorio o, solo en un laboratorio de pruebas, insecure_skip_verify: true)',
  protocol: 'respuesta inesperada del servicio WinRM: {detail}',
  httpStatus: 'el servicio WinRM respondió HTTP {status}{detail}',
  authRejected: 'credenciales rechazadas (HTTP 401) para el usuario {user}',
  authNotOffered: 'el servidor no ofrece autenticación {wanted} (ofrece: {offered})',
  basicOverHttp:
    'la autenticación Basic por HTTP enviaría la contraseña sin cifrar; pon «scheme: https» o «auth: ntlm» en el acceso winrm del fichero del laboratorio',
  unencryptedRefused:
    'el servidor rechaza mensajes sin cifrar (AllowUnencrypted=false); usa «auth: ntlm» (cifra los mensajes) o HTTPS',
  fault: 'error WinRM {code}: {message}',
  accessDenied: 'acceso denegado por WinRM ({message}); el usuario debe ser administrador o estar en "Usuarios de administración remota"',
  scriptTooLong:
    'la línea de órdenes de PowerShell ocupa {length} caracteres y Windows admite como mucho {max}; acorta el script',
  badArgument: 'el argumento {index} contiene un carácter NUL',
  badOptions: 'opciones de WinRM no válidas: {detail}',
};
