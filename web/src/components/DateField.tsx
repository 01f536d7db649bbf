import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/** A calendar date as the API takes it ('YYYY-MM-DD'), picked and shown as dd/mm/yyyy. */
export function DateField({ id, value, onChange, min }: { id?: string; value?: string | null; onChange?: (v: string | null) => void; min?: string }) {
  return (
    <DatePicker
      id={id}
      format="DD/MM/YYYY"
      value={value ? dayjs(value, 'YYYY-MM-DD') : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
      disabledDate={min ? (d) => d.format('YYYY-MM-DD') < min : undefined}
      style={{ width: 200 }}
    />
  );
}
