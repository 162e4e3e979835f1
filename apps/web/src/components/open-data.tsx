import type { PublicationSummary } from '@kalaja/contracts';
import { useTranslation } from 'react-i18next';
import { apiDownload, path } from '../api';

/**
 * Downloads a published version of a round as open data: a ZIP of CSV and JSON with a
 * Frictionless Data Package descriptor and the methodology (managers and observers alike).
 */
export function OpenDataButton({
  programmeId,
  version,
  onError,
}: {
  programmeId: string;
  version: Pick<PublicationSummary, 'id' | 'round' | 'version'>;
  onError(error: unknown): void;
}) {
  const { t } = useTranslation('common');
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        onError(null);
        apiDownload(path`/programmes/${programmeId}/publications/${version.id}/open-data.zip`, 'open-data.zip').catch(
          onError,
        );
      }}
    >
      {t('openData.download')}
      <span className="visually-hidden">
        {' '}
        {t('openData.downloadOf', { round: version.round, version: version.version })}
      </span>
    </button>
  );
}
