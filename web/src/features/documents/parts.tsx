/** Pieces the documents' pages share: the status tag and what a signature block prints. */
import { Tag } from 'antd';
import { useI18n } from '../../i18n/i18n';
import { DOCUMENT_STATUSES, label } from '../../i18n/labels';
import type { IssuanceStatus } from './queries';

const COLOURS: Record<IssuanceStatus, string> = { AWAITING_SIGNATURE: 'gold', SIGNED: 'blue', REGISTERED: 'geekblue', ISSUED: 'green', WITHDRAWN: 'default' };

export function IssuanceStatusTag({ status }: { status: IssuanceStatus }) {
  const { locale } = useI18n();
  return <Tag color={COLOURS[status]}>{label(DOCUMENT_STATUSES, status, locale)}</Tag>;
}

/** "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" as the block prints it, in capitals as on paper. */
export function BlockLabel({ value }: { value: { authority?: string | undefined; title: string } }) {
  return (
    <span className="signature-label">
      {value.authority ? <>{value.authority}<br /></> : null}
      {value.title}
    </span>
  );
}
