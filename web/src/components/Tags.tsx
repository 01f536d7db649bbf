import { Tag } from 'antd';
import type { Stage } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { label, STAGES, stageTone } from '../i18n/labels';
import { daysFromToday, formatDate } from '../i18n/format';

const TONE_COLOURS = { default: 'default', processing: 'blue', success: 'green', warning: 'gold', error: 'red' } as const;

export function StageTag({ stage }: { stage: string }) {
  const { locale } = useI18n();
  return <Tag color={TONE_COLOURS[stageTone(stage as Stage)]}>{label(STAGES, stage, locale)}</Tag>;
}

/** A due date with how near it is: overdue in red, within 7 days in gold. */
export function DueDate({ on, overdue }: { on?: string | undefined; overdue?: boolean }) {
  const { t } = useI18n();
  if (!on) return <span className="muted">—</span>;
  const days = daysFromToday(on);
  const late = overdue ?? days < 0;
  return (
    <span>
      {formatDate(on)}{' '}
      {late ? (
        <Tag color="red">{days < 0 ? t('due.daysLate', { n: -days }) : t('due.overdue')}</Tag>
      ) : days <= 7 ? (
        <Tag color="gold">{days === 0 ? t('due.today') : t('due.inDays', { n: days })}</Tag>
      ) : null}
    </span>
  );
}
