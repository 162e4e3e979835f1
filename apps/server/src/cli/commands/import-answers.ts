import { parseArgs } from 'node:util';
import { systemActor } from '../../modules/access/access-types.js';
import { AppError } from '../../errors.js';
import { flags, HELP, oneOf, required } from '../args.js';
import { withInstance } from '../instance.js';
import { CliError, EXIT, readText, type CliIo } from '../io.js';

export const importAnswersUsage = `Usage: kalaja import-answers --programme ID --round NAME --answers FILE [--layer own|validated]

Imports an answers CSV into one round of a programme of this instance, offline, all or
nothing: every line is checked first, and any problem (named by its line) means nothing is
written. Uses the same configuration as the server (DATABASE_URL, KALAJA_DATA_DIR, key).

  --programme ID     the programme's id
  --round NAME       the round's name, e.g. baseline
  --answers FILE     CSV with organisation,round,question,answer[,note]
  --layer LAYER      own (the organisations' answers, default) or validated
`;

export async function importAnswers(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        programme: { type: 'string' },
        round: { type: 'string' },
        answers: { type: 'string' },
        layer: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(importAnswersUsage);
    return EXIT.ok;
  }
  const programmeId = required(values.programme, 'programme');
  const roundName = required(values.round, 'round');
  const file = required(values.answers, 'answers');
  const layer = oneOf(values.layer, ['own', 'validated'] as const, 'layer', 'own');
  const csv = readText(file, 'answers file', { csv: true });
  return withInstance(env, async (kalaja) => {
    const round = await kalaja.stores.programmes.round(programmeId, { name: roundName });
    if (!round) throw new CliError(`programme ${programmeId} has no round "${roundName}"`);
    try {
      const r = await kalaja.services.exchange.importAnswers(
        systemActor(`cli-${Date.now()}`),
        programmeId,
        round.id,
        csv,
        layer,
        file,
      );
      io.stdout(`Imported ${r.answers} answers for ${r.organisations} organisations into round "${roundName}".\n`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof AppError) {
        for (const d of e.details)
          io.stderr(`${file}${d.where.startsWith('line ') ? `:${d.where.slice(5)}` : ''}: ${d.message}\n`);
        throw new CliError(e.message);
      }
      throw e;
    }
  });
}
