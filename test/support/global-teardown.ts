export default async function globalTeardown(): Promise<void> {
  for (const s of globalThis.__khcnServices ?? []) s.kill();
}
