export default {
  internalError: 'labgrade: error interno: {message} (LABGRADE_DEBUG=1 muestra la traza)',
  transportFailed: 'labgrade: no se pudo conectar con {target}: {message}',
};
