import Fastify from 'fastify';

// The servers a benchmark can load, each run in a child process of its own (serve.ts).
// Nara lives in nara.ts so that the hello-world process loads nothing but Fastify.

export interface Server {
  url: string;
  /** the process serving, when it is not this one */
  pid?: number;
  close(): Promise<void>;
}

export type ServerKind = 'hello-world' | 'nara';

/** The HTTP ceiling: bare Fastify 5, one short text route, started the way Nara is. */
export async function startHelloWorld(): Promise<Server> {
  const app = Fastify({ logger: false });
  app.get('/', async () => 'hello world');
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
