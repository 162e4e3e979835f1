import { parseArgs } from 'node:util';
import {
  checkCatalogue,
  dataFileKind,
  indexFramework,
  subjectOf,
  type Framework,
  type InterventionCatalogue,
  type Problem,
  type TrainingModule,
} from '@kalaja/engine';
import { flags, HELP } from '../args.js';
import {
  CliError,
  count,
  EXIT,
  printProblems,
  readCatalogue,
  readFramework,
  readText,
  readTrainingModule,
  UsageError,
  type CliIo,
} from '../io.js';

export const validateUsage = `Usage: kalaja validate FILE...

Checks Kalaja's data files — frameworks (kalaja: framework/1), interventions catalogues
(kalaja: interventions/1) and training modules (kalaja: training/1), in YAML or JSON — and
reports every problem as file:line:col. Given a framework and a catalogue together, it also
checks that the catalogue has every intervention the framework's questions name; given
training modules with them, that each module's domains and interventions exist.
Exit 0 when all are valid, 1 when any has problems.
`;

export function validate(argv: string[], io: CliIo): number {
  const { values, positionals } = flags(() =>
    parseArgs({ args: argv, options: HELP, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.stdout(validateUsage);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('name at least one file');
  let failed = 0;
  const frameworks: { file: string; fw: Framework }[] = [];
  const catalogues: InterventionCatalogue[] = [];
  const modules: { file: string; module: TrainingModule }[] = [];
  for (const file of positionals) {
    try {
      const kind = dataFileKind(readText(file, 'file'));
      if (kind === 'interventions/1') {
        const c = readCatalogue(file);
        catalogues.push(c);
        const kinds = ['policy', 'technical', 'training'].map(
          (k) => `${c.interventions.filter((i) => i.kind === k).length} ${k}`,
        );
        io.stdout(
          `${file}: ok — ${c.id} ${c.version}, ${count(c.interventions.length, 'intervention')} (${kinds.join(', ')})\n`,
        );
      } else if (kind === 'training/1') {
        const module = readTrainingModule(file);
        modules.push({ file, module });
        const minutes = module.agenda.reduce((s, a) => s + a.minutes, 0);
        io.stdout(
          `${file}: ok — ${module.id} ${module.version}, ${count(module.check.items.length, 'check item')}, ` +
            `${count(module.agenda.length, 'agenda part')} (${minutes} minutes)\n`,
        );
      } else {
        const fw = readFramework(file);
        frameworks.push({ file, fw });
        const index = indexFramework(fw);
        const survey = index.survey.size > 0 ? `, ${count(index.survey.size, 'survey question')}` : '';
        io.stdout(
          subjectOf(fw) === 'institution'
            ? `${file}: ok — ${fw.id} ${fw.version}, an institution framework on 0–${fw.scale}, ` +
                `${count(fw.domains.length, 'principle')}, ${count(index.questionCount, 'indicator')} (${bySource(fw)})\n`
            : `${file}: ok — ${fw.id} ${fw.version}, ${count(fw.domains.length, 'domain')}, ${count(index.questionCount, 'question')}${survey}\n`,
        );
      }
    } catch (e) {
      if (!(e instanceof CliError) || e.exitCode !== EXIT.invalid) throw e;
      failed++;
      if (e.problems.length > 0) printProblems(io, e.problems);
      else io.stderr(`kalaja validate: ${e.message}\n`);
    }
  }
  const cross = crossCheck(frameworks, catalogues, modules);
  if (cross.length > 0) {
    printProblems(io, cross);
    failed++;
  }
  return failed > 0 ? EXIT.invalid : EXIT.ok;
}

/** Each framework against the catalogues given with it; each module against both. */
function crossCheck(
  frameworks: { file: string; fw: Framework }[],
  catalogues: InterventionCatalogue[],
  modules: { file: string; module: TrainingModule }[],
): Problem[] {
  const problems: Problem[] = [];
  if (catalogues.length > 0) {
    const union: InterventionCatalogue = {
      ...catalogues[0]!,
      id: catalogues.map((c) => c.id).join(' + '),
      interventions: catalogues.flatMap((c) => c.interventions),
    };
    for (const { file, fw } of frameworks) problems.push(...checkCatalogue(fw, union, file));
  }
  const interventions = new Set(catalogues.flatMap((c) => c.interventions.map((i) => i.id)));
  const domains = new Set(frameworks.flatMap(({ fw }) => fw.domains.map((d) => d.id)));
  for (const { file, module } of modules) {
    if (frameworks.length > 0)
      for (const d of module.domains.filter((d) => !domains.has(d)))
        problems.push({ file, message: `module \`${module.id}\`: domain \`${d}\` is in none of the frameworks given` });
    if (catalogues.length > 0)
      for (const i of module.interventions.filter((i) => !interventions.has(i)))
        problems.push({
          file,
          message: `module \`${module.id}\`: intervention \`${i}\` is in none of the catalogues given`,
        });
  }
  return problems;
}

/** How many indicators of an institution framework each source checks, e.g. `40 desk-research, 8 interview`. */
function bySource(fw: Framework): string {
  const n = new Map<string, number>();
  for (const d of fw.domains) for (const q of d.questions) if (q.source) n.set(q.source, (n.get(q.source) ?? 0) + 1);
  return [...n].map(([source, k]) => `${k} ${source}`).join(', ');
}
