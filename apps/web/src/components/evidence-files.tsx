import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoment, formatSize } from '../format';
import { ErrorNote } from './ui';

export interface EvidenceFile {
  id: string;
  name: string;
  size: number;
  at: string;
}

/**
 * Files attached as evidence (to an answer, to a plan item): each a download link with its size
 * and time, and for the files the reader may remove, a removal that asks once more by name
 * before it happens. The caller removes (a step-up dialog of its own may come first); a failed
 * removal is shown under the list and the file stays.
 */
export function EvidenceFileList<F extends EvidenceFile>({
  files,
  href,
  canRemove,
  onRemove,
}: {
  files: readonly F[];
  href(file: F): string;
  canRemove(file: F): boolean;
  onRemove(file: F): Promise<void>;
}) {
  const { t } = useTranslation();
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const remove = async (file: F) => {
    setError(null);
    try {
      await onRemove(file);
      setRemoving(null);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ul className="evidence-list">
        {files.map((f) => (
          <li key={f.id}>
            <a href={href(f)} download={f.name}>
              {f.name}
            </a>{' '}
            <span className="muted">
              {formatSize(f.size)} · {formatMoment(f.at)}
            </span>{' '}
            {canRemove(f) &&
              (removing === f.id ? (
                <span className="remove-confirm">
                  <button type="button" className="link danger" onClick={() => void remove(f)}>
                    {t('files.removeConfirm', { name: f.name })}
                  </button>{' '}
                  <button type="button" className="link" onClick={() => setRemoving(null)}>
                    {t('files.cancel')}
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="link"
                  onClick={() => setRemoving(f.id)}
                  aria-label={t('files.removeLabel', { name: f.name })}
                >
                  {t('files.remove')}
                </button>
              ))}
          </li>
        ))}
      </ul>
      {removing !== null && <ErrorNote error={error} />}
    </>
  );
}
