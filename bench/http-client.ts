// The load generators' HTTP client: one kept-alive HTTP/1.1 connection per simulated
// browser, written to and read from the socket directly. The harness shares the machine's
// cores with the server it measures, so every cycle it spends is one the server did not
// have: node:http cost the login storm's browsers 1.3 ms of CPU per sign-in (0.11 of the
// two cores), about as much as Nara's own HTTP thread spent on it.
import net from 'node:net';

export interface Answer {
  status: number;
  /** header names in lower case; a repeated header (set-cookie) keeps every value */
  headers: Record<string, string[]>;
  body: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** Parses one response from the front of `data`; undefined while it is not all there. */
export function parseResponse(data: Buffer): { answer: Answer; used: number; close: boolean } | undefined {
  const headEnd = data.indexOf(CRLF2);
  if (headEnd === -1) return undefined;
  const lines = data.toString('latin1', 0, headEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!statusLine) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0]?.slice(0, 40))}`);
  const headers: Record<string, string[]> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 40))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const start = headEnd + 4;
  const close = headers.connection?.[0]?.toLowerCase() === 'close' || lines[0]!.startsWith('HTTP/1.0');
  const status = Number(statusLine[1]);
  if (headers['transfer-encoding']?.some((v) => v.toLowerCase().includes('chunked'))) {
    const chunks: Buffer[] = [];
    let at = start;
    for (;;) {
      const sizeEnd = data.indexOf('\r\n', at);
      if (sizeEnd === -1) return undefined;
      const size = parseInt(data.toString('latin1', at, sizeEnd), 16);
      if (!Number.isFinite(size)) throw new Error('malformed chunk size');
      if (size === 0) {
        // No trailers are expected: the last chunk ends with an empty line.
        const trailerEnd = data.indexOf('\r\n', sizeEnd + 2);
        if (trailerEnd === -1) return undefined;
        return { answer: { status, headers, body: Buffer.concat(chunks) }, used: trailerEnd + 2, close };
      }
      if (data.length < sizeEnd + 2 + size + 2) return undefined;
      chunks.push(data.subarray(sizeEnd + 2, sizeEnd + 2 + size));
      at = sizeEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'] ? Number(headers['content-length'][0]) : status === 204 || status === 304 ? 0 : undefined;
  if (length === undefined) throw new Error('a response without a length: this client only reads kept-alive responses');
  if (data.length < start + length) return undefined;
  return { answer: { status, headers, body: Buffer.from(data.subarray(start, start + length)) }, used: start + length, close };
}

/**
 * One browser's connection to `base`: requests one at a time, each answered in full before
 * the next is sent; the connection is opened on first use and again after the server
 * closes it. Redirects are not followed and no compression is asked for.
 */
export class BrowserConnection {
  private socket: net.Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | undefined;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    if (url.protocol !== 'http:') throw new Error(`only http: is supported, not ${url.protocol}`);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
  }

  request(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
    if (this.waiting) return Promise.reject(new Error('a request is already in flight on this connection'));
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
    const message = head + '\r\n' + (body ?? '');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.connected().write(message);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connected(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.received(socket, chunk));
    const fail = (error: Error) => {
      socket.destroy();
      // A connection already replaced has nothing in flight.
      if (this.socket !== socket) return;
      this.socket = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' })));
    return socket;
  }

  private received(socket: net.Socket, chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let parsed: ReturnType<typeof parseResponse>;
    try {
      parsed = parseResponse(this.buffered);
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    if (!parsed) return;
    this.buffered = this.buffered.subarray(parsed.used);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (parsed.close) {
      // Closed after this answer: the next request opens another connection.
      this.socket = undefined;
      socket.end();
    }
    waiting?.resolve(parsed.answer);
  }
}

/**
 * Connections to one server for requests from many callers at once, as a kept-alive
 * `http.Agent` gives: an idle connection if there is one, else a new one.
 */
export class ConnectionPool {
  private readonly idle: BrowserConnection[] = [];
  private readonly all = new Set<BrowserConnection>();

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
    const connection = this.idle.pop() ?? new BrowserConnection(this.base);
    this.all.add(connection);
    try {
      return await connection.request(method, path, headers, body);
    } finally {
      this.idle.push(connection);
    }
  }

  /**
   * Opens `count` connections at once, each answering `path` once, and keeps them idle for
   * later requests: the connections a set of browsers already holds when the load starts.
   */
  async open(count: number, path: string): Promise<void> {
    const connections = Array.from({ length: count }, () => new BrowserConnection(this.base));
    connections.forEach((c) => this.all.add(c));
    const answers = await Promise.all(connections.map((c) => c.request('GET', path)));
    const failed = answers.find((a) => a.status !== 200);
    if (failed) throw new Error(`opening connections: GET ${path} answered ${failed.status}`);
    this.idle.push(...connections);
  }

  close(): void {
    for (const connection of this.all) connection.close();
    this.all.clear();
    this.idle.length = 0;
  }
}
