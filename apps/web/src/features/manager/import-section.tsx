import {
  type ImportAnswersRequest,
  type ImportAnswersResult,
  type ImportView,
  type Programme,
} from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { decodeCsv, type LooksLike, type NotCsv } from '@kalaja/engine/encoding';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, apiUpload, path } from '../../api';
import { ErrorNote, fieldError } from '../../components/ui';
import { keys } from '../../queries';
import { SelectField } from './fields';

interface ImportInput {
  roundId: string;
  file: File;
  layer: NonNullable<ImportAnswersRequest['layer']>;
}

/** What the person reads when a file is refused before it is sent: a summary and the line's problem. */
function refusal(reason: NotCsv, t: TFunction<'manager'>): { summary: string; message: string } {
  switch (reason.kind) {
    case 'binary':
      return { summary: t('import.notCsv'), message: t('import.looksLike', { what: looksLike(reason.looksLike, t) }) };
    case 'invalid':
      return reason.encoding === 'utf-8'
        ? { summary: t('import.notUtf8'), message: t('import.notUtf8Line') }
        : { summary: t('import.notUtf16'), message: t('import.notUtf16Line') };
    case 'replacement':
      return { summary: t('import.notUtf8'), message: t('import.replacementLine') };
  }
}

function looksLike(what: LooksLike, t: TFunction<'manager'>): string {
  switch (what) {
    case 'zip':
      return t('import.formats.zip');
    case 'pdf':
      return t('import.formats.pdf');
    case 'ole':
      return t('import.formats.ole');
    case 'gzip':
      return t('import.formats.gzip');
    case 'image':
      return t('import.formats.image');
    case 'utf-32':
      return t('import.formats.utf32');
    case 'utf-16-no-bom':
      return t('import.formats.utf16NoBom');
    case 'nul':
      return t('import.formats.nul');
  }
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const POLL_MS = 400;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Import an answers file into a round: all or nothing, every problem named by its line (its row,
 * for a spreadsheet). A CSV file is decoded here first, so that a file in the wrong encoding is
 * refused with its line before it is sent; an .xlsx or .ods file goes as it was saved, and the
 * server reads its first sheet: the page loads no spreadsheet code. The server takes the file
 * as a job (decision 0010) and the page follows its progress until it is written or refused.
 */
export function ImportSection({ programme }: { programme: Programme }) {
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const fileId = useId();
  // Whether the file sent was a spreadsheet: its problems are then named by row.
  const sheet = useRef(false);
  const [job, setJob] = useState<ImportView | null>(null);
  const m = useMutation<ImportAnswersResult, ApiError, ImportInput>({
    mutationFn: async ({ roundId, file, layer }) => {
      sheet.current = false;
      setJob(null);
      if (file.size === 0) throw new ApiError(0, 'empty_file', t('import.empty'), undefined);
      if (file.size > LIMITS.answersUpload)
        throw new ApiError(413, 'payload_too_large', t('import.tooLarge'), undefined);
      // The bytes are decoded here as the command line decodes them (UTF-8, or UTF-16 with a
      // byte-order mark); a workbook or PDF, and text already mangled into U+FFFD, are refused
      // with what they look like and their line rather than sent as a flood of errors.
      const bytes = new Uint8Array(await file.arrayBuffer());
      const decoded = decodeCsv(bytes);
      let body: Blob;
      let type: string;
      // A zip is what .xlsx and .ods files are: sent as they are, for the server to read and check.
      if (!decoded.ok && decoded.reason.kind === 'binary' && decoded.reason.looksLike === 'zip') {
        sheet.current = true;
        body = file;
        type = /\.ods$/i.test(file.name) ? ODS : XLSX;
      } else if (!decoded.ok) {
        const { summary, message } = refusal(decoded.reason, t);
        throw new ApiError(0, 'invalid_answers', summary, undefined, [
          { where: `line ${decoded.reason.line}`, message },
        ]);
      } else {
        // UTF-16 is sent as UTF-8, which is what the server reads.
        body = new Blob([decoded.text], { type: 'text/csv' });
        type = 'text/csv; charset=utf-8';
      }
      const query = `?layer=${layer}&file=${encodeURIComponent(file.name || 'answers.csv')}`;
      let state = await apiUpload<ImportView>(
        `${path`/programmes/${programme.id}/rounds/${roundId}/imports`}${query}`,
        body,
        type,
      );
      setJob(state);
      while (state.status !== 'done' && state.status !== 'failed') {
        await wait(POLL_MS);
        state = await api<ImportView>('GET', path`/programmes/${programme.id}/imports/${state.id}`);
        setJob(state);
      }
      if (state.status === 'failed') {
        if (state.problemCount > 0)
          throw new ApiError(400, 'invalid_answers', state.error ?? t('import.refused'), undefined, state.problems);
        throw new ApiError(409, 'conflict', state.error ?? t('import.refused'), undefined);
      }
      return {
        answers: state.rows,
        organisations: state.organisations,
        validated: layer === 'validated' ? state.organisations : 0,
      };
    },
    onSuccess: async () => {
      form.current?.reset();
      await client.invalidateQueries({ queryKey: keys.programme(programme.id) });
    },
  });
  const problems = m.error?.code === 'invalid_answers' ? m.error.details : [];
  // The server sends the first 1,000 problems of a file and says how many there were.
  const problemCount =
    m.isError && job?.status === 'failed' ? Math.max(job.problemCount, problems.length) : problems.length;
  const round = m.variables && programme.rounds.find((r) => r.id === m.variables.roundId);
  return (
    <section aria-labelledby="import">
      <h2 id="import" tabIndex={-1}>
        {t('import.title')}
      </h2>
      <p className="hint">{t('import.intro')}</p>
      <form
        ref={form}
        className="stack manager-form"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const file = data.get('file');
          if (!(file instanceof File)) return;
          m.mutate({
            roundId: String(data.get('roundId') ?? ''),
            file,
            layer: data.get('layer') === 'validated' ? 'validated' : 'own',
          });
        }}
      >
        <SelectField
          label={t('import.round')}
          name="roundId"
          required
          defaultValue={programme.rounds[0]?.id}
          error={fieldError(m.error, 'round')}
        >
          {programme.rounds.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor={fileId}>{t('import.file')}</label>
          <p className="hint" id={`${fileId}-hint`}>
            {t('import.fileHint')}
          </p>
          <input
            id={fileId}
            name="file"
            type="file"
            accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,.ods,application/vnd.oasis.opendocument.spreadsheet"
            required
            aria-describedby={problems.length > 0 ? `${fileId}-hint ${fileId}-problems` : `${fileId}-hint`}
            aria-invalid={problems.length > 0 ? true : undefined}
          />
        </div>
        <fieldset className="choices">
          <legend>{t('import.layer')}</legend>
          <label className="check">
            <input type="radio" name="layer" value="own" defaultChecked />
            <span>
              {t('import.own')}
              <span className="hint">{t('import.ownHint')}</span>
            </span>
          </label>
          <label className="check">
            <input type="radio" name="layer" value="validated" />
            <span>
              {t('import.validated')}
              <span className="hint">{t('import.validatedHint')}</span>
            </span>
          </label>
        </fieldset>
        {m.isPending && job && (
          <div className="import-progress" role="status">
            <label htmlFor={`${fileId}-progress`}>{t(`import.stage.${job.status}`, { percent: job.progress })}</label>
            <progress id={`${fileId}-progress`} max={100} value={job.progress}>
              {job.progress}%
            </progress>
          </div>
        )}
        <ErrorNote error={m.error} />
        {problems.length > 0 && (
          <div
            className="problems"
            id={`${fileId}-problems`}
            role="region"
            aria-labelledby={`${fileId}-problems-title`}
            tabIndex={0}
          >
            <p id={`${fileId}-problems-title`} className="problems-title">
              {problemCount > problems.length
                ? t('import.problemsFirst', { count: problemCount, shown: problems.length })
                : t('import.problems', { count: problems.length })}
            </p>
            <ul>
              {problems.map((p, i) => {
                const line = /^line (\d+)$/.exec(p.where)?.[1];
                return (
                  <li key={i}>
                    {line
                      ? t(sheet.current ? 'import.rowProblem' : 'import.problem', { line, message: p.message })
                      : t('import.fileProblem', { message: p.message })}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {m.isSuccess && (
          <p className="success" role="status">
            {t('import.done', {
              count: m.data.answers,
              organisations: t('import.organisations', { count: m.data.organisations }),
              round: round?.name ?? '',
            })}
            {m.data.validated > 0 && <> {t('import.validatedDone', { count: m.data.validated })}</>}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={m.isPending}>
            {m.isPending ? t('import.importing') : t('import.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
