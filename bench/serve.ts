// Child-process entry of spawnServer (bench/lib.ts): starts one server, reports its
// address to the parent, closes it when told to, and then exits by itself.
import { startHelloWorld, type Server, type ServerKind } from './servers.ts';

const kind = process.argv[2] as ServerKind;
const options = JSON.parse(process.argv[3] ?? '{}');

let server: Server | undefined;
try {
  if (kind === 'hello-world') server = await startHelloWorld();
  // Imported only here, so that the hello-world process has none of Nara loaded.
  else if (kind === 'nara') server = await (await import('./nara.ts')).startNara(options);
  if (!server) throw new Error(`unknown server kind "${kind}"`);
  process.send!({ url: server.url });
} catch (error) {
  process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
}

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await server!.close();
  // Leaving the IPC channel open would keep this process alive; with it closed, anything
  // that still holds the event loop is a leak worth seeing (the parent times out on it).
  process.disconnect();
}
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd === 'close') void close();
});
// The parent went away without asking: do not linger.
process.on('disconnect', () => void close());
