import { InputNumber } from 'antd';
import { useI18n } from '../i18n/i18n';
import { groupDigits } from '../i18n/format';

/** Integer VND with thousands separators as typed ('1.500.000.000' in Vietnamese). */
export function MoneyInput({ id, value, onChange, ...aria }: { id?: string; value?: number | null; onChange?: (v: number | null) => void; 'aria-describedby'?: string }) {
  const { locale } = useI18n();
  return (
    <InputNumber<number>
      id={id}
      {...aria}
      value={value ?? null}
      onChange={(v) => onChange?.(v === null ? null : Math.trunc(v))}
      min={0}
      step={1_000_000}
      precision={0}
      inputMode="numeric"
      style={{ width: '100%', maxWidth: 320 }}
      formatter={(v) => groupDigits(v, locale)}
      parser={(v) => Number((v ?? '').replace(/\D/g, '') || 0)}
      suffix={locale === 'vi' ? 'đồng' : 'VND'}
    />
  );
}
