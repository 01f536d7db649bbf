/** A real SMTP server inside the test process (smtp-server + mailparser) that keeps what it receives. */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpCatcher {
  port: number;
  messages: ParsedMail[];
  /** While true, every message is refused with 421 (a temporary SMTP failure). */
  refusing: boolean;
  waitFor(predicate: (m: ParsedMail[]) => boolean, timeoutMs?: number): Promise<ParsedMail[]>;
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpCatcher(port = 0): Promise<SmtpCatcher> {
  const messages: ParsedMail[] = [];
  const catcher = { refusing: false } as SmtpCatcher;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      if (catcher.refusing) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Service temporarily unavailable'), { responseCode: 421 })));
        return;
      }
      simpleParser(stream).then(
        (m) => {
          messages.push(m);
          callback();
        },
        (err) => callback(err as Error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as { port: number };
  return Object.assign(catcher, {
    port: address.port,
    messages,
    async waitFor(predicate: (m: ParsedMail[]) => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) throw new Error(`expected email(s) did not arrive within ${timeoutMs} ms; got: ${messages.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    to(addr: string) {
      const a = addr.toLowerCase();
      return messages.filter((m) => {
        const list = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
        return list.some((t) => t.value.some((v) => v.address?.toLowerCase() === a));
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
