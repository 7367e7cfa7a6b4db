// Child-process entry of measureCertificateCeiling (bench/certificates.ts): how many
// certificates one thread renders and signs per second, with nothing else to do. In a
// process of its own, started like the servers, so that the counted loop shares its event
// loop and heap with nothing but itself.
import { createHash, generateKeyPairSync, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { renderCertificatePdf, type CertificateView } from '../src/modules/documents/certificate-pdf.ts';
import { demoCertificateTypes } from '../src/modules/documents/certificate-types.ts';
import { issuerIdOf, methodIdOf } from '../src/modules/documents/issuer-keys.ts';
import { documentsMessages } from '../src/modules/documents/messages.ts';
import { statusEntriesOf } from '../src/modules/documents/status-list.ts';
import { signCredential } from '../src/modules/documents/vc-jose.ts';
import { createI18n } from '../src/platform/i18n/i18n.ts';
import { formatDate, formatDateTime } from '../src/platform/views/format.ts';

export interface CertificateCeilingOptions {
  /** seconds counted */
  duration: number;
  /** seconds of the same loop before counting, discarded */
  warmup: number;
}

export interface CertificateCeilingMessage {
  /** sent when the warm-up is over, so that the parent measures the CPU of the same window */
  counting?: true;
  certificates?: number;
  seconds?: number;
  /** milliseconds of one render and of one signature, means over the counted window */
  renderMs?: number;
  signMs?: number;
  /** size of the last PDF, to compare with one the server issued */
  pdfBytes?: number;
  error?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as CertificateCeilingOptions;

// A resident registration certificate in Korean with all seven fields and a household of
// four, as gatherFacts reads one from the register and issueCertificate lays it out.
const PUBLIC_URL = 'http://127.0.0.1:3000';
const TIME_ZONE = 'Asia/Seoul';
const type = demoCertificateTypes.find((t) => t.code === 'resident-registration')!;
const facts: Record<string, string> = {
  name: '김나라',
  nationalId: '900101-2******',
  birthDate: '1990-01-01',
  address: '서울특별시 종로구 세종대로 209 정부서울청사 본관 (03171)',
  registeredOn: '2019-03-02',
  householdHead: '김나라',
  householdMembers: ['세대주 김나라 (1990-01-01, 900101-2******)', '배우자 이하늘 (1989-05-05, 890505-1******)', '자녀 김바다 (2018-07-07, 180707-4******)', '부모 박미숙 (1962-11-20, 621120-2******)'].join('\n'),
};
const t = createI18n([documentsMessages]).translator('ko');
const issuerId = issuerIdOf(PUBLIC_URL, 'MOIS');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const kid = methodIdOf(issuerId, createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url'));
const issueNumber = () => Array.from({ length: 4 }, () => String(randomInt(0, 10_000)).padStart(4, '0')).join('-');

/** One certificate as issueCertificate makes it: the credential signed, then its PDF rendered. */
async function issueOne(): Promise<{ signMs: number; renderMs: number; bytes: number }> {
  const number = issueNumber();
  const issuedAt = new Date();
  issuedAt.setMilliseconds(0);
  const validUntil = new Date(issuedAt.getTime() + type.validityDays * 86_400_000);
  const verifyUrl = `${PUBLIC_URL}/verify/${number}`;
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', `${PUBLIC_URL}/credentials/v1`],
    id: verifyUrl,
    type: ['VerifiableCredential', 'NaraCertificate'],
    issuer: { id: issuerId, name: '행정안전부' },
    name: type.title.ko,
    validFrom: issuedAt.toISOString().replace('.000Z', 'Z'),
    validUntil: validUntil.toISOString().replace('.000Z', 'Z'),
    credentialSubject: { certificateType: type.code, issueNumber: number, ...facts },
    credentialStatus: statusEntriesOf(issuerId, 0, randomInt(0, 131_072)),
  };
  const signing = performance.now();
  const jwt = await signCredential(credential, { privateKey, kid });
  const fingerprint = createHash('sha256').update(jwt).digest('hex');
  const rendering = performance.now();
  const view: CertificateView = {
    lang: 'ko',
    title: type.title.ko,
    issueNumber: number,
    issuerName: '행정안전부',
    issuedAt: formatDateTime(issuedAt, 'ko', TIME_ZONE),
    validUntil: formatDate(validUntil, 'ko', TIME_ZONE),
    holderLabel: type.fields[0]!.label.ko,
    holderName: facts.name!,
    fields: type.fields.slice(1).map((f) => ({ label: f.label.ko, value: facts[f.key]! })),
    statement: t('documents.pdf.statement'),
    verifyUrl,
    verifyHint: t('documents.pdf.verifyHint', { url: `${PUBLIC_URL}/verify` }),
    fingerprint,
    labels: { issueNumber: t('documents.issueNumber'), issuedAt: t('documents.issuedAt'), validUntil: t('documents.validUntil'), fingerprint: t('documents.pdf.fingerprint'), page: t('documents.pdf.page') },
  };
  const pdf = await renderCertificatePdf(view);
  const done = performance.now();
  return { signMs: rendering - signing, renderMs: done - rendering, bytes: pdf.length };
}

try {
  // One at a time on this one thread: the rate of one rendering thread that also signs,
  // with no pool, no messages between threads and no database (those are Nara's overhead,
  // part of what the scenario measures).
  const warmEnd = performance.now() + options.warmup * 1000;
  do await issueOne();
  while (performance.now() < warmEnd);
  process.send!({ counting: true } satisfies CertificateCeilingMessage);
  const started = performance.now();
  const end = started + options.duration * 1000;
  let certificates = 0;
  let signMs = 0;
  let renderMs = 0;
  let pdfBytes = 0;
  while (performance.now() < end) {
    const one = await issueOne();
    certificates++;
    signMs += one.signMs;
    renderMs += one.renderMs;
    pdfBytes = one.bytes;
  }
  const seconds = (performance.now() - started) / 1000;
  process.send!({ certificates, seconds, renderMs: renderMs / certificates, signMs: signMs / certificates, pdfBytes } satisfies CertificateCeilingMessage, () => process.exit(0));
} catch (error) {
  process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies CertificateCeilingMessage, () => process.exit(1));
}
