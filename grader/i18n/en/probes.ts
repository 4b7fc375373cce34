import type es from '../es/probes.js';

export default {
  badTarget: 'invalid probe target {target} in {where}: {reason}',
  'reason.empty': 'it is empty',
  'reason.too-long': 'it is too long (253 characters at most)',
  'reason.bad-ipv4': 'it is not a valid IPv4 address (four numbers 0-255, no leading zeros)',
  'reason.bad-char': 'only an IPv4 address or a hostname is accepted (letters, digits, dots and dashes)',
  'reason.bad-label': 'it is not a valid hostname (each label: letters, digits and dashes, no dash at either end, 63 characters at most)',
  'reason.leading-dash': 'it must not start with a dash',
  unsupportedOs: 'no probes for operating system {os}',
} satisfies Record<keyof typeof es, string>;
