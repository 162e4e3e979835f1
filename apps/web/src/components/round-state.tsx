import type { Round } from '@kalaja/contracts';
import { useTranslation } from 'react-i18next';
import { formatDay } from '../format';

/**
 * Where a round stands, in words, for everyone who works in it: open (until its end date),
 * closed, or not open yet (opening on its start date, or when a manager opens it).
 */
export function RoundStateBadge({ round }: { round: Pick<Round, 'state' | 'startsOn' | 'endsOn'> }) {
  const { t } = useTranslation();
  const text =
    round.state === 'open'
      ? round.endsOn
        ? t('round.openUntil', { date: formatDay(round.endsOn) })
        : t('round.open')
      : round.state === 'closed'
        ? t('round.closed')
        : round.startsOn
          ? t('round.opensOn', { date: formatDay(round.startsOn) })
          : t('round.scheduled');
  return <span className={`badge badge-round-${round.state}`}>{text}</span>;
}
