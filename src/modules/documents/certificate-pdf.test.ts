import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { renderCertificatePdf, type CertificateView } from './certificate-pdf.ts';
import { createCertificateRenderer } from './certificate-renderer.ts';

const run = promisify(execFile);
// jsqr is CommonJS with its function as the `default` property.
const jsQR = jsQRModule.default;

function certificateView(overrides: Partial<CertificateView> = {}): CertificateView {
  return {
    lang: 'ko',
    title: '주민등록표 등본',
    issueNumber: '1234-5678-9012-3456',
    issuerName: '서울특별시 종로구청',
    issuerDepartment: '민원여권과',
    issuedAt: '2026년 11월 27일',
    issuedAtInstant: '2026-11-27T01:23:45Z',
    validUntil: '2027년 2월 25일',
    holderLabel: '성명',
    holderName: '김나라',
    fields: [
      { label: '주민등록번호', value: '900101-2******' },
      { label: '주소', value: '서울특별시 종로구 세종대로 209 정부서울청사 본관 12층 1203호 (세종로), 민원실 옆 복도 끝 사무실' },
      { label: '세대 구성원', value: '김나라 (본인)\n이하늘 (배우자)' },
    ],
    statement: '위 사실을 증명합니다.',
    verifyUrl: 'https://nara.example/verify/1234-5678-9012-3456',
    verifyHint: '휴대전화로 QR 코드를 찍거나, 아래 주소에 접속해 발급번호를 입력하면 진위를 확인할 수 있습니다.',
    fingerprint: 'a3f1c2e49b7d6a5f0e8c3b2a1d9f8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e',
    labels: { issueNumber: '발급번호', issuedAt: '발급일', validUntil: '유효기간', fingerprint: '문서 지문', page: '쪽' },
    ...overrides,
  };
}

const manyFields = (count: number) => Array.from({ length: count }, (_, i) => ({ label: `항목 ${i + 1}`, value: `값 ${i + 1}` }));
const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

/** Whether poppler's tools can be run; skips the test with the reason when not. */
async function hasPoppler(t: TestContext): Promise<boolean> {
  try {
    await run('pdftotext', ['-v']);
    return true;
  } catch {
    t.skip('poppler-utils (pdftotext, pdftoppm, pdfinfo) is not on PATH: install it to check the rendered text and QR code');
    return false;
  }
}

/** The PDF as a file in a directory of its own, for the length of `use`. */
async function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'nara-certificate-'));
  try {
    const file = join(dir, 'certificate.pdf');
    await writeFile(file, pdf);
    return await use(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const textOf = (pdf: Buffer) => withPdfFile(pdf, async (file) => (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout);
const withoutSpace = (text: string) => text.replace(/\s+/g, '');

test('a short certificate is one A4 page with Nanum Gothic embedded, regular and bold', async () => {
  const pdf = await renderCertificatePdf(certificateView());
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const source = pdf.toString('latin1');
  assert.equal(pageCount(pdf), 1);
  assert.match(source, /\/MediaBox \[0 0 595\.28 841\.89\]/);
  assert.match(source, /\/FontName \/[A-Z]{6}\+NanumGothic\b/);
  assert.match(source, /\/FontName \/[A-Z]{6}\+NanumGothicBold\b/);
  assert.match(source, /\/FontFile2 /, 'the font program is embedded, not referenced');
});

test('sixty facts flow onto a second page instead of being cut', async () => {
  const pdf = await renderCertificatePdf(certificateView({ fields: manyFields(60) }));
  assert.equal(pageCount(pdf), 2);
});

test('a fact longer than a page continues on the next page', async () => {
  const pdf = await renderCertificatePdf(certificateView({ fields: [{ label: '비고', value: Array.from({ length: 90 }, (_, i) => `${i + 1}번째 줄`).join('\n') }] }));
  assert.ok(pageCount(pdf) >= 2);
});

test('the same view renders to the same bytes', async () => {
  const view = certificateView({ lang: 'en', title: 'Resident Registration Certificate' });
  assert.ok((await renderCertificatePdf(view)).equals(await renderCertificatePdf(view)));
});

test('the title, holder, issue number, verification address and fingerprint can be read from the text', async (t) => {
  if (!(await hasPoppler(t))) return;
  const view = certificateView();
  const text = await textOf(await renderCertificatePdf(view));
  // Letter-spaced and wrapped text comes out with spaces and line breaks of its own.
  const flat = withoutSpace(text);
  for (const expected of [view.title, view.holderName, view.issueNumber, view.verifyUrl, view.issuerName, view.statement, view.fingerprint]) assert.ok(flat.includes(withoutSpace(expected)), `the text holds ${expected}`);
});

test('a long English name wraps and is kept whole', async (t) => {
  if (!(await hasPoppler(t))) return;
  const holderName = 'Alexandria Maximiliana Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff of the Northern Territories';
  const view = certificateView({ lang: 'en', title: 'Family Relations Certificate', holderLabel: 'Name', holderName, issuerName: 'Ministry of the Interior and Safety, Republic of Korea' });
  const text = await textOf(await renderCertificatePdf(view));
  assert.ok(withoutSpace(text).includes(withoutSpace(holderName)));
});

test('the document information names the title, the issuer and the issue number', async (t) => {
  if (!(await hasPoppler(t))) return;
  const view = certificateView();
  const info = await withPdfFile(await renderCertificatePdf(view), async (file) => (await run('pdfinfo', ['-enc', 'UTF-8', file])).stdout);
  assert.match(info, new RegExp(`^Title:\\s+${view.title}$`, 'm'));
  assert.match(info, new RegExp(`^Author:\\s+${view.issuerName}$`, 'm'));
  assert.match(info, new RegExp(`^Subject:\\s+${view.issueNumber}$`, 'm'));
  assert.match(info, /^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
});

test('the printed QR code reads back as exactly the verification address', async (t) => {
  if (!(await hasPoppler(t))) return;
  for (const lang of ['ko', 'en'] as const) {
    const view = certificateView({ lang, verifyUrl: `https://nara.example/verify/9876-5432-1098-765${lang === 'ko' ? 4 : 3}` });
    const decoded = await withPdfFile(await renderCertificatePdf(view), async (file, dir) => {
      await run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
      const png = PNG.sync.read(await readFile(join(dir, 'page.png')));
      return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data;
    });
    assert.equal(decoded, view.verifyUrl, `${lang}: the QR code holds the verification address`);
  }
});

test('certificates render in parallel on the renderer threads', async () => {
  const renderer = createCertificateRenderer({ size: 2 });
  try {
    const views = [certificateView(), certificateView({ lang: 'en', title: 'Resident Registration Certificate', issueNumber: '2222-3333-4444-5555' })];
    const pdfs = await Promise.all(views.map((view) => renderer.render(view)));
    for (const pdf of pdfs) {
      assert.ok(Buffer.isBuffer(pdf));
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
      assert.equal(pageCount(pdf), 1);
    }
    assert.ok(pdfs[1]!.toString('latin1').includes('(2222-3333-4444-5555)'), 'each job got its own certificate');
  } finally {
    await renderer.close();
  }
});
