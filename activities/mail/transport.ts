import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';

export function createMailTransport(c: Config): Transporter {
  return nodemailer.createTransport({
    host: c.SMTP_HOST,
    port: c.SMTP_PORT,
    secure: c.SMTP_SECURE,
    ...(c.SMTP_USER ? { auth: { user: c.SMTP_USER, pass: c.SMTP_PASSWORD } } : {}),
    // Local catchers (maildev, the tests' server) speak plain SMTP.
    ignoreTLS: !c.SMTP_SECURE && (c.SMTP_HOST === '127.0.0.1' || c.SMTP_HOST === 'localhost'),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
