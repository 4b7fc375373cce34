// Textos de las sondas dentro de las máquinas (grader/probes/): validación de destinos y errores.
export default {
  badTarget: 'destino de sonda no válido {target} en {where}: {reason}',
  'reason.empty': 'está vacío',
  'reason.too-long': 'es demasiado largo (máximo 253 caracteres)',
  'reason.bad-ipv4': 'no es una dirección IPv4 válida (cuatro números de 0 a 255, sin ceros a la izquierda)',
  'reason.bad-char': 'solo se admiten una dirección IPv4 o un nombre de host (letras, cifras, puntos y guiones)',
  'reason.bad-label': 'no es un nombre de host válido (cada parte: letras, cifras y guiones, sin guion al principio ni al final, 63 caracteres como mucho)',
  'reason.leading-dash': 'no puede empezar por guion',
  unsupportedOs: 'sistema operativo sin sondas: {os}',
};
