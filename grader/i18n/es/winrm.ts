// Mensajes del cliente WinRM (grader/transports/winrm/). Nunca contienen contraseñas.
export default {
  refused: 'conexión rechazada en el puerto {port} (¿está WinRM activo? En el invitado: winrm quickconfig)',
  unreachable: 'no se puede llegar al equipo: {detail}',
  timeout: 'sin respuesta en {ms} ms',
  closed: 'el servidor cerró la conexión a mitad de una petición ({detail})',
  tls: 'error TLS: {detail} (indique la CA con caFile o, solo en un laboratorio, insecureSkipVerify)',
  protocol: 'respuesta inesperada del servicio WinRM: {detail}',
  httpStatus: 'el servicio WinRM respondió HTTP {status}{detail}',
  authRejected: 'credenciales rechazadas (HTTP 401) para el usuario {user}',
  authNotOffered: 'el servidor no ofrece autenticación {wanted} (ofrece: {offered})',
  basicOverHttp:
    'la autenticación Basic por HTTP enviaría la contraseña sin cifrar; use https o auth ntlm (o allowBasicOverHttp si es a propósito)',
  unencryptedRefused:
    'el servidor rechaza mensajes sin cifrar (AllowUnencrypted=false); use NTLM (cifra los mensajes) o HTTPS',
  fault: 'error WinRM {code}: {message}',
  accessDenied: 'acceso denegado por WinRM ({message}); el usuario debe ser administrador o estar en "Usuarios de administración remota"',
  scriptTooLong:
    'la línea de órdenes de PowerShell ocupa {length} caracteres y Windows admite como mucho {max}; acorte el script',
  badArgument: 'el argumento {index} contiene un carácter NUL',
  badOptions: 'opciones de WinRM no válidas: {detail}',
};
