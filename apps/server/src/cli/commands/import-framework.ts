import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  IMPORT_FORMATS,
  IMPORT_SCALES,
  importFramework,
  noteText,
  type ImportFrameworkOptions,
  type SammFile,
} from '@kalaja/engine';
import { flags, HELP, oneOf, required } from '../args.js';
import { CliError, count, EXIT, readText, UsageError, writeFileAtomic, type CliIo } from '../io.js';

export const importFrameworkUsage = `Usage: kalaja import-framework --from oscal|ciso-assistant|samm SOURCE [--out FILE.yaml] [options]

Turns a framework published elsewhere into a Kalaja framework file (kalaja: framework/1),
checked as \`kalaja validate\` checks it, and says what the source had that the file does not
carry. The same source gives the same file, byte for byte.

  --from FORMAT       oscal: an OSCAL catalog, XML or JSON (NIST CSF 2.0, SP 800-53, …);
                      groups and controls that hold controls become domains, the other
                      controls questions, withdrawn controls are left out
                      ciso-assistant: a CISO Assistant library (YAML); a library not in
                      English keeps its language (language: fr)
                      samm: the OWASP SAMM model: its model/ directory, or its files joined
                      as one YAML stream of documents
  --out FILE          write the framework to FILE (default: standard output)
  --scale SCALE       the answers of questions whose source has none (oscal, and
                      ciso-assistant libraries without scores_definition):
                      implementation (not / partly / largely / fully implemented; the
                      default for oscal), csf-tiers (CSF tiers 1 to 4) or compliance (not /
                      partially / fully compliant; the default for ciso-assistant)
  --depth N           ciso-assistant: the depth of the requirement tree whose nodes become
                      domains (default: the library's shallowest, usually 1)
  --require-part NAME oscal: keep only controls with a part of this name (CSF 2.0's catalog:
                      example, the default for it, which leaves out its CSF 1.1 ids)
  --id ID             the framework's id (default: made from the source's name)

Exit 0 when the file is written, 1 when the source has problems (each as file:line:col),
2 for wrong usage.
`;

export function importFrameworkCommand(argv: string[], io: CliIo): number {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        out: { type: 'string' },
        scale: { type: 'string' },
        depth: { type: 'string' },
        'require-part': { type: 'string' },
        id: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(importFrameworkUsage);
    return EXIT.ok;
  }
  const format = oneOf(required(values.from, 'from'), IMPORT_FORMATS, 'from', 'oscal');
  if (positionals.length !== 1) throw new UsageError('name exactly one SOURCE file (or, for samm, directory)');
  const path = positionals[0]!;
  if (values.depth !== undefined && format !== 'ciso-assistant')
    throw new UsageError('--depth is for --from ciso-assistant');
  if (values['require-part'] !== undefined && format !== 'oscal')
    throw new UsageError('--require-part is for --from oscal');
  if (values.scale !== undefined && format === 'samm')
    throw new UsageError('--scale is not for samm: SAMM has its answers');
  const depth = values.depth === undefined ? undefined : Number(values.depth);
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1 && depth <= 20))
    throw new UsageError(`--depth must be a whole number from 1 to 20 (got "${values.depth}")`);
  if (values.id !== undefined && !/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(values.id))
    throw new UsageError('--id must be lower-case letters, digits and - or _ (e.g. nist-csf-2)');
  const options: ImportFrameworkOptions = {
    file: path,
    ...(values.scale !== undefined && { scale: oneOf(values.scale, IMPORT_SCALES, 'scale', 'implementation') }),
    ...(depth !== undefined && { depth }),
    ...(values['require-part'] !== undefined && { requirePart: values['require-part'] }),
    ...(values.id !== undefined && { id: values.id }),
  };
  const source = format === 'samm' && isDirectory(path) ? sammFiles(path) : readText(path, 'source');
  const result = importFramework(format, source, options);
  if (!result.ok)
    throw new CliError(`${path} has ${count(result.problems.length, 'problem')}`, EXIT.invalid, result.problems);
  const { report } = result;
  if (values.out) writeFileAtomic(values.out, result.text);
  else io.stdout(result.text);
  // The summary goes to stderr when the framework itself is on stdout, so a pipe gets only YAML.
  const say = values.out ? io.stdout : io.stderr;
  say(
    `${values.out ?? 'framework'}: ${result.framework.id} ${result.framework.version}, ${count(report.domains, 'domain')}, ${count(report.questions, 'question')}${report.language !== 'en' ? `, in ${report.language}` : ''}\n`,
  );
  for (const n of report.notes) say(`  ${noteText(n)}\n`);
  return EXIT.ok;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** SAMM's model files under a directory (its `model/`, or the repository), in path order. */
function sammFiles(dir: string): SammFile[] {
  const out: SammFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name))
        out.push({ name: relative(process.cwd(), p) || p, text: readText(p, 'SAMM file') });
    }
  };
  walk(dir);
  if (out.length === 0) throw new CliError(`${dir} has no .yml files: give SAMM's model/ directory`);
  return out;
}
