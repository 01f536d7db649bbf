import { Button, Space } from 'antd';
import { FileExcelOutlined, FileTextOutlined } from '@ant-design/icons';
import { exportHref } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';

/** CSV and XLSX of a list, as the API writes them (headings in the page's language, every row the filters select). */
export function ExportButtons({ path, query = {}, what }: { path: string; query?: Record<string, string | number | undefined>; what: string }) {
  const { t } = useI18n();
  return (
    <Space wrap size="small">
      <Button size="small" icon={<FileTextOutlined aria-hidden />} href={exportHref(path, 'csv', query)} download aria-label={t('dash.exportCsvOf', { what })}>CSV</Button>
      <Button size="small" icon={<FileExcelOutlined aria-hidden />} href={exportHref(path, 'xlsx', query)} download aria-label={t('dash.exportXlsxOf', { what })}>XLSX</Button>
    </Space>
  );
}
