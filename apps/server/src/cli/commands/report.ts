import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildOpennessPaper,
  buildOrganisationReport,
  buildProgrammeReport,
  parseInstitutionsCsv,
  readEvidenceColumns,
  subjectOf,
  forEachAnswerCsv,
  forEachAnswerSheet,
  missingTexts,
  untranslatedTexts,
  parseAnswersJson,
  SUPPORTED_LOCALES,
  type AnswerEvidence,
  type AnswerNote,
  type InstitutionInfo,
  type Locale,
  type Report,
} from '@kalaja/engine';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '../../reports/render.js';
import { flags, HELP, oneOf, required } from '../args.js';
import {
  CliError,
  EXIT,
  readAnswerFile,
  readAnswersInput,
  readFramework,
  readText,
  UsageError,
  writeFileAtomic,
  type CliIo,
} from '../io.js';

export { REPORT_FORMATS, type ReportFormat };
export const REPORT_AUDIENCES = ['programme', 'observers'] as const;

export const reportUsage = `Usage: kalaja report --framework FILE --answers FILE --out FILE [--format pdf|docx|html]
                     [--title TEXT] [--lang en|sq|sr-Latn|sr-Cyrl]
                     [--organisation NAME] [--audience programme|observers]
                     [--institutions FILE]

Writes the programme report of a cohort — summary, methodology, findings by domain, the most
common gaps, change between rounds, training impact, policy recommendations and an annex per
organisation under pseudonyms — or, with --organisation, that organisation's confidential
report: its scores and band, domain explanations, gaps ranked and notes.

With an institution framework (subject: institution, an openness index) it writes the policy
paper of the latest wave instead: the answers' organisation column names the institutions and
round the waves, and the wave before the latest is the comparison. The paper has the ranking,
findings by principle, a section per institution with recommendations drafted by documented
rules, a regional comparison when institutions are in more than one country, and an annex of
the indicators with their sources.

  --framework FILE      framework file (YAML or JSON)
  --answers FILE        answers file (.csv, .xlsx, .ods or .json)
  --out FILE            where to write the report; written whole or not at all
  --format FORMAT       pdf, docx (editable in Word and LibreOffice) or html (self-contained);
                        by default from the extension of --out
  --title TEXT          the report's title
  --lang LOCALE         en (default), sq, sr-Latn or sr-Cyrl (every sentence, and the
                        framework's texts where the framework has them)
  --organisation NAME   make this organisation's confidential report instead
  --audience AUDIENCE   programme (default) or observers: aggregates only, no per-organisation
                        rows, and no figure computed over fewer than 5 organisations
  --institutions FILE   institution frameworks only: a CSV with the columns name, type, level
                        and country (all but name optional), shown in the paper

For an institution framework, the answers file (CSV or spreadsheet) may carry each answer's
evidence in the columns evidence_url (an http:// or https:// link) and checked (YYYY-MM-DD, not
after today); the paper shows them beside the indicators an institution earned nothing on.

Exit codes: 0 ok, 1 invalid input (each problem on stderr as file:line), 2 wrong usage.
`;

const EXTENSIONS: Record<string, ReportFormat> = { '.pdf': 'pdf', '.docx': 'docx', '.html': 'html', '.htm': 'html' };

const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  sq: 'Albanian',
  'sr-Latn': 'Serbian (Latin)',
  'sr-Cyrl': 'Serbian (Cyrillic)',
};

export async function report(argv: string[], io: CliIo): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        framework: { type: 'string' },
        answers: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        title: { type: 'string' },
        lang: { type: 'string' },
        organisation: { type: 'string' },
        audience: { type: 'string' },
        institutions: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(reportUsage);
    return EXIT.ok;
  }
  const frameworkPath = required(values.framework, 'framework');
  const answersPath = required(values.answers, 'answers');
  const out = required(values.out, 'out');
  const format = values.format !== undefined ? oneOf(values.format, REPORT_FORMATS, 'format', 'pdf') : formatOf(out);
  const locale = oneOf(values.lang, SUPPORTED_LOCALES, 'lang', 'en');
  const audience = oneOf(values.audience, REPORT_AUDIENCES, 'audience', 'programme');
  const organisation = values.organisation;
  if (organisation !== undefined && audience === 'observers') {
    throw new UsageError('--organisation makes a confidential report; it cannot be made for observers');
  }
  if (organisation === '') throw new UsageError('--organisation needs a name');

  const fw = readFramework(frameworkPath);
  const institutions = subjectOf(fw) === 'institution';
  // Flags that fit one kind of framework only are usage errors with the other, named.
  if (institutions) {
    for (const flag of ['organisation', 'audience'] as const)
      if (values[flag] !== undefined)
        throw new UsageError(
          `--${flag} is for organisation frameworks; ${frameworkPath} measures institutions (subject: institution), whose report is the policy paper: leave out --${flag}`,
        );
  } else if (values.institutions !== undefined) {
    throw new UsageError(
      `--institutions is for institution frameworks (subject: institution); ${frameworkPath} measures organisations: leave out --institutions`,
    );
  }
  const info = values.institutions !== undefined ? readInstitutions(values.institutions) : undefined;
  const answers = await readAnswerFile(fw, answersPath);
  const generatedAt = new Date().toISOString();
  const title = values.title?.trim() || undefined;
  let model: Report;
  if (institutions) {
    const evidence = await evidenceOf(answersPath, generatedAt.slice(0, 10));
    model = buildOpennessPaper(fw, answers, {
      locale,
      generatedAt,
      ...(info ? { institutions: info } : {}),
      ...(evidence ? { evidence } : {}),
      ...(title ? { title } : {}),
    });
  } else if (organisation !== undefined) {
    if (!answers.assessments.has(organisation)) {
      // A name the data does not hold is invalid input (exit 1), as in `kalaja plan`; exit 2 is for usage mistakes.
      const names = answers.organisations.slice(0, 20).map((n) => `"${n}"`);
      const more = answers.organisations.length > 20 ? `, … (${answers.organisations.length} in all)` : '';
      const near = answers.organisations.find((n) => n.toLowerCase() === organisation.toLowerCase());
      throw new CliError(
        `organisation "${organisation}" is not in ${answersPath}${near ? ` (did you mean "${near}"?)` : ''}; it has: ${names.join(', ')}${more}`,
        EXIT.invalid,
      );
    }
    const notes = await notesOf(answersPath, organisation);
    model = buildOrganisationReport(fw, answers, organisation, {
      locale,
      generatedAt,
      notes,
      ...(title ? { title } : {}),
    });
  } else {
    model = buildProgrammeReport(fw, answers, { locale, audience, generatedAt, ...(title ? { title } : {}) });
  }

  const bytes = await render(model, format);
  writeFileAtomic(out, bytes);

  if (locale !== 'en') {
    // The report's own sentences are in every language; a framework may not be.
    const missing = missingTexts(locale).length + untranslatedTexts(fw, locale);
    if (missing > 0) {
      io.stderr(
        `kalaja report: ${missing} texts have no ${LANGUAGE_NAMES[locale]} translation yet and are in English\n`,
      );
    }
  }
  const what =
    model.kind === 'openness'
      ? `the policy paper of wave ${model.wave}${model.previous !== null ? ` compared with ${model.previous}` : ''} (${model.institutions} institutions)`
      : organisation !== undefined
        ? `the confidential report of "${organisation}"`
        : `the ${audience === 'observers' ? 'observers’ edition of the ' : ''}programme report (${answers.organisations.length} organisations, ${answers.rounds.length} rounds)`;
  io.stdout(`wrote ${out}: ${what}, ${format.toUpperCase()}, ${bytes.length.toLocaleString('en')} bytes\n`);
  return EXIT.ok;
}

/** Renders a report; each renderer (and its libraries) is loaded only when it is used. */
export const render = renderReport;

function formatOf(out: string): ReportFormat {
  const format = EXTENSIONS[extname(out).toLowerCase()];
  if (!format) {
    throw new UsageError(
      `cannot tell the format from "${out}": give --format (one of: ${REPORT_FORMATS.join(', ')}) or end --out in .pdf, .docx or .html`,
    );
  }
  return format;
}

/** The institutions file: its problems each at its line, as for answers. */
function readInstitutions(path: string): InstitutionInfo[] {
  const r = parseInstitutionsCsv(readText(path, 'institutions file', { csv: true }), path);
  if (!r.ok) throw new CliError(`institutions file ${path} has problems`, EXIT.invalid, r.problems);
  return r.value;
}

/**
 * The evidence columns of an institution framework's answers file (`evidence_url`, `checked`), in
 * a CSV file or a spreadsheet; null when it has neither, or is JSON (the file is already valid).
 */
async function evidenceOf(path: string, today: string): Promise<AnswerEvidence[] | null> {
  const input = await readAnswersInput(path);
  if (typeof input === 'string' && /\.json$/i.test(path)) return null;
  const r = readEvidenceColumns(input, path, today);
  if (!r.ok) throw new CliError(`answers file ${path} has problems in its evidence columns`, EXIT.invalid, r.problems);
  return r.value;
}

/** The notes one organisation wrote with its answers (the file is already known to be valid). */
async function notesOf(path: string, organisation: string): Promise<AnswerNote[]> {
  const input = await readAnswersInput(path);
  const notes: AnswerNote[] = [];
  const take = (r: { organisation: string; round: string; question: string; note?: string }) => {
    if (r.organisation === organisation && r.note) notes.push({ round: r.round, question: r.question, note: r.note });
  };
  if (typeof input !== 'string') forEachAnswerSheet(input, path, take);
  else if (/\.json$/i.test(path)) parseAnswersJson(input, path, false).records.forEach(take);
  else forEachAnswerCsv(input, path, take);
  return notes;
}
