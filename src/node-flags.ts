/**
 * The Node.js flags Nara's server runs with; `npm start` passes them (a test holds
 * package.json to this list) and the benchmarks start Nara with them too.
 *
 * `--max-semi-space-size=16`: the young generation, where each request's short-lived objects
 * live, stays at most 16 MiB a half. V8 would otherwise let it grow to several times that on a
 * large machine, and collecting it then stopped the HTTP thread for 10–17 ms at a time under
 * load (measured with --trace-gc while issuing certificates), delaying every request that
 * arrived meanwhile. At 16 MiB the same load is collected every two seconds or so in 1–3 ms.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
