/**
 * `npm run import -- --file danh-muc.xlsx [--dry-run] [--lang vi|en]`: imports the tasks the
 * Department already runs (template: templates/import/). Every row is validated first;
 * each valid row starts its task's lifecycle workflow in its current stage. Prints one line
 * per row (imported / already imported / invalid / refused, with the reasons) and the totals.
 * Safe to run again: a task already imported is reported as such and left alone.
 * Exit code 0 when every row was imported or already there, 1 when some row was invalid or
 * refused, 2 when the file itself cannot be read (nothing is imported then).
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ImportFileError, importPortfolio, type ImportRowResult } from '../activities/portfolio/import';
import { openCliEnv, runCli } from './cli-env';

const LABEL = { imported: 'đã nhập', already_imported: 'đã có (nhập trước đây)', would_import: 'sẽ nhập', invalid: 'không hợp lệ', refused: 'bị từ chối' } as const;
const LABEL_EN = { imported: 'imported', already_imported: 'already imported', would_import: 'would import', invalid: 'invalid', refused: 'refused' } as const;

function line(r: ImportRowResult, en: boolean): string {
  const head = `dòng ${String(r.row).padStart(4)}  ${(r.code ?? '—').padEnd(18)} ${(en ? LABEL_EN : LABEL)[r.outcome]}`;
  if (r.errors) return `${head}\n${r.errors.map((e) => `            cột ${e.column}: ${e.reason}`).join('\n')}`;
  if (r.refusal) return `${head} (${r.refusal.rule}): ${en ? r.refusal.en : r.refusal.vi}`;
  return `${head}${r.taskId ? `  ${r.taskId}` : ''}`;
}

runCli(async () => {
  const { values } = parseArgs({
    options: { file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, lang: { type: 'string', default: 'vi' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.file) {
    console.error('usage: npm run import -- --file <danh-muc.csv|.xlsx> [--dry-run] [--lang vi|en]');
    return 2;
  }
  const en = values.lang === 'en';
  const env = await openCliEnv();
  const bar = new SingleBar({ format: `${values['dry-run'] ? 'Kiểm tra' : 'Nhập'} {bar} {value}/{total} dòng | {code}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let started = false;
  try {
    const report = await importPortfolio(env, {
      file: values.file,
      dryRun: values['dry-run'],
      locale: en ? 'en' : 'vi',
      onProgress: (done, total, last) => {
        if (!started) {
          bar.start(total, 0, { code: '' });
          started = true;
        }
        bar.update(done, { code: last.code ?? '' });
      },
    });
    if (started) bar.stop();
    console.log(`${report.dryRun ? 'Chạy thử (không nhập gì): ' : ''}${report.file}, ${report.rows.length} dòng dữ liệu`);
    for (const r of report.rows) console.log(line(r, en));
    const c = report.counts;
    console.log(
      report.dryRun
        ? `Tổng: sẽ nhập ${c.would_import}, đã có ${c.already_imported}, không hợp lệ ${c.invalid}, bị từ chối ${c.refused}.`
        : `Tổng: đã nhập ${c.imported}, đã có ${c.already_imported}, không hợp lệ ${c.invalid}, bị từ chối ${c.refused}.`,
    );
    return c.invalid || c.refused ? 1 : 0;
  } catch (err) {
    if (started) bar.stop();
    if (err instanceof ImportFileError) {
      console.error(`Không nhập được tệp ${values.file} (không dòng nào được nhập):\n${err.issues.map((i) => `  - ${i}`).join('\n')}`);
      return 2;
    }
    throw err;
  } finally {
    await env.close();
  }
});
