import {
  importAnswersRequest,
  type ImportAnswersRequest,
  type ImportAnswersResult,
  type Programme,
} from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { decodeCsv, type LooksLike, type NotCsv } from '@kalaja/engine/encoding';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, path } from '../../api';
import { checked } from '../../components/checked';
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

/** The bytes of a file as base64, a slice at a time (a call takes only so many arguments). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Import an answers file into a round: all or nothing, every problem named by its line (its row,
 * for a spreadsheet). A CSV file is decoded here; an .xlsx or .ods file goes to the server as it
 * was saved, and the server reads its first sheet: the page loads no spreadsheet code.
 */
export function ImportSection({ programme }: { programme: Programme }) {
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const fileId = useId();
  // Whether the file sent was a spreadsheet: its problems are then named by row.
  const sheet = useRef(false);
  const m = useMutation<ImportAnswersResult, ApiError, ImportInput>({
    mutationFn: async ({ roundId, file, layer }) => {
      sheet.current = false;
      if (file.size === 0) throw new ApiError(0, 'empty_file', t('import.empty'), undefined);
      // The server's limit is in characters (and its body limit in bytes): a file of more bytes
      // than the limit is refused here, before it is read (UTF-16 takes two bytes a character).
      if (file.size > 2 * LIMITS.answersCsv)
        throw new ApiError(413, 'payload_too_large', t('import.tooLarge'), undefined);
      // The bytes are decoded here as the command line decodes them (UTF-8, or UTF-16 with a
      // byte-order mark); a workbook or PDF, and text already mangled into U+FFFD, are refused
      // with what they look like and their line rather than sent as a flood of errors.
      const bytes = new Uint8Array(await file.arrayBuffer());
      const decoded = decodeCsv(bytes);
      // A zip is what .xlsx and .ods files are: sent as they are, for the server to read and check.
      if (!decoded.ok && decoded.reason.kind === 'binary' && decoded.reason.looksLike === 'zip') {
        if (file.size > LIMITS.answersSpreadsheet)
          throw new ApiError(413, 'payload_too_large', t('import.tooLarge'), undefined);
        sheet.current = true;
        return api<ImportAnswersResult>(
          'POST',
          path`/programmes/${programme.id}/rounds/${roundId}/answers`,
          checked(importAnswersRequest, { spreadsheet: base64(bytes), layer }),
        );
      }
      if (!decoded.ok) {
        const { summary, message } = refusal(decoded.reason, t);
        throw new ApiError(0, 'invalid_answers', summary, undefined, [
          { where: `line ${decoded.reason.line}`, message },
        ]);
      }
      const csv = decoded.text;
      if (csv.length > LIMITS.answersCsv) throw new ApiError(413, 'payload_too_large', t('import.tooLarge'), undefined);
      return api<ImportAnswersResult>(
        'POST',
        path`/programmes/${programme.id}/rounds/${roundId}/answers`,
        checked(importAnswersRequest, { csv, layer }),
      );
    },
    onSuccess: async () => {
      form.current?.reset();
      await client.invalidateQueries({ queryKey: keys.programme(programme.id) });
    },
  });
  const problems = m.error?.code === 'invalid_answers' ? m.error.details : [];
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
              {t('import.problems', { count: problems.length })}
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
