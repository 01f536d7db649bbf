import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/** A calendar date as the API takes it ('YYYY-MM-DD'), picked and shown as dd/mm/yyyy; days outside [min, max] cannot be picked. */
export function DateField({ id, value, onChange, min, max }: { id?: string; value?: string | null; onChange?: (v: string | null) => void; min?: string; max?: string }) {
  const outside = (d: dayjs.Dayjs) => {
    const day = d.format('YYYY-MM-DD');
    return (min !== undefined && day < min) || (max !== undefined && day > max);
  };
  return (
    <DatePicker
      id={id}
      format="DD/MM/YYYY"
      value={value ? dayjs(value, 'YYYY-MM-DD') : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
      disabledDate={min !== undefined || max !== undefined ? outside : undefined}
      style={{ width: 200 }}
    />
  );
}
