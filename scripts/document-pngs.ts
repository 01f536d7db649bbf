/**
 * Renders every kind of document (test/support/document-catalogue.ts) to PDF and to one PNG per
 * page (`pdftoppm -png -r 60`, poppler-utils) in `.data/document-pngs/`, to look at each page as
 * a Department officer would. `npm run documents:png`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { documentCatalogue } from '../test/support/document-catalogue';

async function main(): Promise<void> {
  const out = path.resolve(__dirname, '..', '.data', 'document-pngs');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  let pages = 0;
  const entries = documentCatalogue();
  for (const entry of entries) {
    const pdf = path.join(out, `${entry.name}.pdf`);
    fs.writeFileSync(pdf, await entry.render());
    execFileSync('pdftoppm', ['-png', '-r', process.env.PNG_DPI ?? '60', pdf, path.join(out, entry.name)]);
    const n = fs.readdirSync(out).filter((f) => f.startsWith(`${entry.name}-`) && f.endsWith('.png')).length;
    pages += n;
    console.log(`${entry.name}: ${n} page(s)`);
  }
  console.log(`${entries.length} documents, ${pages} pages in ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
