// A certificate-rendering thread (see certificate-renderer.ts): laying out text, subsetting
// fonts and compressing a PDF take tens of milliseconds of CPU, which the HTTP thread must not wait out.
import { BACKGROUND_NICE, lowerThreadPriority } from '../../platform/threads/thread-priority.ts';
import { serveWorker } from '../../platform/threads/worker-pool.ts';
import { renderCertificatePdf, type CertificateView } from './certificate-pdf.ts';

export interface RenderRequest {
  view: CertificateView;
}

// Below the HTTP thread and the embedded database (both 0), above password hashing (19).
lowerThreadPriority(BACKGROUND_NICE);

serveWorker<RenderRequest, Uint8Array>(
  async ({ view }) => {
    const pdf = await renderCertificatePdf(view);
    // A small Buffer can share its memory with others; only a buffer that is the PDF alone may be handed over.
    const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
    return own ? new Uint8Array(pdf.buffer, 0, pdf.byteLength) : new Uint8Array(pdf);
  },
  { transfer: (bytes) => [bytes.buffer as ArrayBuffer] },
);
