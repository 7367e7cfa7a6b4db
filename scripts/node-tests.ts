// Runs `node --test` over test files and passes its output and exit code through, with one
// exception: a test file whose process V8 aborted with the known upstream crash in freeing
// WebAssembly code (nodejs/node#64500: "Check failed: jit_page_->allocations_.erase(addr)
// == 1", seen with PGlite instances opened and closed in one process) is run once more, on
// its own, and says so loudly. Any other failure fails the run as it is.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const V8_WASM_FREE_CRASH = 'jit_page_->allocations_.erase(addr) == 1';

/**
 * The files `node --test` reported as failed as a whole (their process died: a crash, not
 * a failing test), and whether any test failed otherwise. Read from the spec reporter's
 * closing list, where each entry is "test at <file>:<line>:<col>" and then "✖ <name> (…ms)";
 * an entry whose name is the file itself is the file's process.
 */
export function failuresIn(output: string): { crashedFiles: string[]; otherFailures: number } {
  const start = output.lastIndexOf('✖ failing tests:');
  if (start === -1) return { crashedFiles: [], otherFailures: 0 };
  const crashedFiles: string[] = [];
  let otherFailures = 0;
  const lines = output.slice(start).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = /^test at (.+?):\d+:\d+$/.exec(lines[i]!.trim());
    if (!at) continue;
    const name = /^✖ (.+?) \([\d.]+ms\)$/.exec((lines[i + 1] ?? '').trim())?.[1];
    if (name !== undefined && path.resolve(name) === path.resolve(at[1]!)) crashedFiles.push(name);
    else otherFailures++;
  }
  return { crashedFiles, otherFailures };
}

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs the tests (`args` as for `node --test`); resolves to the exit code to use. */
export async function runNodeTests(args: string[]): Promise<number> {
  const first = await run(args);
  if (first.code === 0) return 0;
  const { crashedFiles, otherFailures } = failuresIn(first.output);
  if (otherFailures > 0 || crashedFiles.length === 0 || !first.output.includes(V8_WASM_FREE_CRASH)) return first.code;
  const options = args.filter((a) => a.startsWith('--'));
  console.error(`\n!!! ${crashedFiles.join(', ')}: the test process was aborted by V8 while freeing WebAssembly code (${V8_WASM_FREE_CRASH}; nodejs/node#64500, not a failing test). Running ${crashedFiles.length === 1 ? 'it' : 'them'} once more.\n`);
  const again = await run([...options, ...crashedFiles]);
  console.error(again.code === 0 ? `\n!!! The second run of ${crashedFiles.join(', ')} passed.\n` : `\n!!! The second run of ${crashedFiles.join(', ')} failed too.\n`);
  return again.code;
}

if (import.meta.main) process.exit(await runNodeTests(process.argv.slice(2)));
