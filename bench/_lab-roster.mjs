// The bundled lab as a roster's `defaults.lab` (inline: the teacher's own). A lab file would be a
// student's file, and a student's lab file may not name the grading machine's key, known_hosts or
// network namespace (batch refuses it). Used by bench/watch.mjs and bench/batch-scale.mjs.
// `lab`: dist/grader/lab/index.js; `guests`: [linux domain, windows domain].
export function inlineLabRoster(lab, guests, { answers, task = 'nat', entries }) {
  const C = lab.labConstants;
  const ssh = `{ ssh: { user: root, key: ${C.paths.sshKey}, known_hosts: ${C.paths.knownHosts} } }`;
  const lines = [
    'version: 1',
    'defaults:',
    '  lab:',
    `    uri: ${C.LIBVIRT_URI}`,
    `    netns: ${C.LAB_NETNS}`,
    '    networks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }',
    `    probes: { outside_host: ${C.upstream.outsideHost}, resolve_name: ${C.upstream.testName}, timeout_ms: 1000 }`,
    '    vms:',
    `      linux: { domain: ${guests[0]}, access: [${ssh}, agent] }`,
    `      windows: { domain: ${guests[1]}, os: linux, access: [${ssh}, agent] }`,
    `  answers: ${answers}`,
    `  task: ${task}`,
    'students:',
  ];
  for (let i = 0; i < entries; i++) lines.push(`  - { id: s${String(i).padStart(3, '0')}, name: Student ${i}, email: s${i}@bench.invalid }`);
  return `${lines.join('\n')}\n`;
}
