import { createWorkerPool } from '../../platform/threads/worker-pool.ts';
import type { CertificateView } from './certificate-pdf.ts';
import type { RenderRequest } from './render-worker.ts';

export type { CertificateView } from './certificate-pdf.ts';

export interface CertificateRendererOptions {
  /** Rendering threads; default one per CPU. Each keeps its parsed fonts, about 20 MB of heap in use. */
  size?: number;
}

export interface CertificateRenderer {
  /**
   * The certificate as a PDF, rendered on a pool thread. Throws `WorkerJobError` when rendering
   * fails, `WorkerLostError` when its thread died twice, `WorkerPoolClosedError` after `close()`.
   */
  render(view: CertificateView): Promise<Buffer>;
  close(): Promise<void>;
}

/** Renders certificates off the server's thread, on a pool of threads started when first needed. */
export function createCertificateRenderer(options: CertificateRendererOptions = {}): CertificateRenderer {
  const pool = createWorkerPool<RenderRequest, Uint8Array>({ entry: new URL('./render-worker.ts', import.meta.url), name: 'certificate-renderer', ...(options.size ? { size: options.size } : {}) });
  return {
    async render(view) {
      const bytes = await pool.run({ view });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => pool.close(),
  };
}
