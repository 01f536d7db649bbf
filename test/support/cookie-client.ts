/**
 * A browser session as the API sees it, for API tests (the page tests drive a real browser:
 * test/support/browser.ts): a cookie jar that keeps what Set-Cookie says (and drops what it
 * clears), sends the cookies back, and adds X-CSRF-Token from the khcn_csrf cookie on writes
 * unless told otherwise. No Authorization header unless a test adds one.
 */
import { parseSetCookie, type SetCookie } from 'cookie';

export interface BrowserRequest {
  body?: unknown;
  headers?: Record<string, string>;
  /** true (default): the khcn_csrf cookie's value on POST/PATCH/PUT/DELETE; false: none; a string: that value. */
  csrf?: boolean | string;
}

export class CookieClient {
  /** What the jar holds, by cookie name. */
  readonly jar = new Map<string, string>();
  /** Every Set-Cookie of the last response, parsed (attributes included). */
  lastSetCookies: SetCookie[] = [];

  constructor(private baseUrl: string) {}

  async request(method: string, path: string, o: BrowserRequest = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = o.csrf ?? true;
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && csrf !== false) {
      const token = csrf === true ? this.jar.get('khcn_csrf') : csrf;
      if (token !== undefined) headers['x-csrf-token'] = token;
    }
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    this.lastSetCookies = res.headers.getSetCookie().map((c) => parseSetCookie(c));
    for (const c of this.lastSetCookies) {
      if (c.maxAge === 0 || !c.value) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  signIn(email: string, password: string): Promise<Response> {
    return this.request('POST', '/api/v1/auth/session', { body: { email, password } });
  }

  signOut(o: BrowserRequest = {}): Promise<Response> {
    return this.request('DELETE', '/api/v1/auth/session', o);
  }

  get session(): string | undefined {
    return this.jar.get('khcn_session');
  }
}
