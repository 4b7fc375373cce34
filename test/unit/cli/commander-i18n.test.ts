// commander's own texts in the user's language: help headings, the help/version options, defaults,
// parse errors; and schema errors phrased in the language of the run (no English descriptions or
// JSON type names inside Spanish messages).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../../grader/cli/main.js';
import { localizeError } from '../../../grader/cli/commander-i18n.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { InputError } from '../../../grader/types.js';

describe('CLI texts in the user language', () => {
  it('Spanish help: headings, options, defaults and the help option are Spanish', async () => {
    const program = await buildProgram({ lang: 'es' });
    const check = program.commands.find((c) => c.name() === 'check')!;
    const help = check.helpInformation();
    expect(help).to.match(/^Uso: labgrade check \[opciones\] <ejercicio>/);
    expect(help).to.include('Argumentos:').and.include('Opciones:').and.include('muestra la ayuda de la orden').and.include('(por defecto: "auto")');
    expect(help).to.not.match(/Usage|Options:|display help|default:/);
    const top = program.helpInformation();
    expect(top).to.include('Órdenes:').and.include('muestra la versión');
  });

  it('English help keeps commander texts', async () => {
    const help = (await buildProgram({ lang: 'en' })).commands.find((c) => c.name() === 'check')!.helpInformation();
    expect(help).to.match(/^Usage: labgrade check \[options\] <spec>/);
    expect(help).to.include('display help for command').and.include('(default: "auto")');
  });

  it('parse errors in Spanish, did-you-mean included; unknown texts pass through', () => {
    expect(localizeError("error: missing required argument 'spec'\n", 'es')).to.equal('error: falta el argumento obligatorio «ejercicio»\n');
    expect(localizeError("error: required option '--lab <file>' not specified\n", 'es')).to.equal('error: falta la opción obligatoria «--lab <fichero>»\n');
    expect(localizeError("error: unknown option '--lb'\n(Did you mean --lab?)\n", 'es')).to.equal('error: opción desconocida «--lb»\n(¿Querías decir --lab?)\n');
    expect(localizeError("error: unknown command 'chek'\n(Did you mean check?)\n", 'es')).to.equal('error: orden desconocida «chek»\n(¿Querías decir check?)\n');
    expect(localizeError("error: too many arguments for 'demo'. Expected 0 arguments but got 1.\n", 'es')).to.equal('error: sobran argumentos para «demo»: se esperaban 0 y hay 1\n');
    expect(localizeError("error: option '--lab <file>' argument missing\n", 'es')).to.equal('error: a la opción «--lab <fichero>» le falta su valor\n');
    expect(localizeError('something new\n', 'es')).to.equal('something new\n');
  });

  it('schema errors say what is expected in the language of the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-schema-'));
    try {
      const f = join(dir, 'lab.yaml');
      writeFileSync(f, 'uri: 3\nnetns: "a b"\nnetworks: { nat: red-nat }\nvms:\n  linux: { domain: "a b", access: [agent] }\n');
      const err = await loadLab(f, { lang: 'es' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      const text = (err as InputError).issues.map((i) => i.message).join('\n');
      expect(text).to.include('se esperaba texto y hay número entero');
      expect(text).to.include('se esperaba un nombre de espacio de nombres de red');
      expect(text).to.include('se esperaba un nombre de máquina virtual de libvirt');
      expect(text).to.not.match(/\b(string|integer|a network namespace name|a libvirt domain name)\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
