import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { create as createQrCode } from 'qrcode';

/** Everything a certificate shows, already in the reader's language and formatted for display. */
export interface CertificateView {
  lang: 'ko' | 'en';
  /** e.g. '주민등록표 등본' / 'Resident Registration Certificate' */
  title: string;
  /** e.g. '1234-5678-9012-3456' */
  issueNumber: string;
  /** The issuing agency in `lang`, e.g. '종로구청' */
  issuerName: string;
  issuerDepartment?: string;
  /** Formatted for display in `lang` */
  issuedAt: string;
  /**
   * The moment of issue as an ISO 8601 instant. Becomes the PDF's CreationDate, which also
   * seeds the file identifier: with it the same view always gives the same bytes.
   */
  issuedAtInstant?: string;
  validUntil?: string;
  /** e.g. '성명' / 'Name' */
  holderLabel: string;
  holderName: string;
  /** The certified facts, in order; a value may be long or hold line breaks. */
  fields: Array<{ label: string; value: string }>;
  /** e.g. '위 사실을 증명합니다.' / 'This is to certify that the above is true.' */
  statement: string;
  /** The URL the QR code holds */
  verifyUrl: string;
  /** Tells the reader to scan the code, or visit the URL and type the issue number */
  verifyHint: string;
  /** Hex SHA-256 of the certificate's facts */
  fingerprint: string;
  labels: { issueNumber: string; issuedAt: string; validUntil: string; fingerprint: string; page: string };
}

type Face = 'regular' | 'bold';
interface Style {
  face: Face;
  size: number;
  color: string;
  /** Extra space after each character, in points */
  spacing?: number;
}
type Doc = PDFKit.PDFDocument;

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
/** Insets from the page edge: outer rule, wave band, microtext band, inner rule, content. */
const FRAME = { outer: 20, band: 33, micro: 35.2, inner: 39.5, content: 54 };
const CONTENT = { left: FRAME.content, right: PAGE.width - FRAME.content, top: FRAME.content - 2, bottom: PAGE.height - 76 };
const WIDTH = CONTENT.right - CONTENT.left;
const INK = { text: '#1a1f26', muted: '#5b6573', navy: '#1f3a60', rule: '#b9c4d2', tint: '#eef2f7', seal: '#c8102e', guilloche: '#bcd0e4', guillocheAlt: '#cfe0cb' };
const BODY = { size: 9.4, lineHeight: 12.4, padY: 2.6, padX: 7 };
/** Big enough for a worn phone camera on paper; the quiet zone is added around it. */
const QR_SYMBOL_WIDTH = 32 * MM;
const QR_QUIET_MODULES = 4;
const SEAL_RADIUS = 12 * MM;

/** Words only this renderer adds, not the caller's. */
const CONTINUED = { ko: '(계속)', en: '(continued)' } as const;
const SEAL_CENTRE = { ko: ['직인'], en: ['OFFICIAL', 'SEAL'] } as const;

const FACES = ['regular', 'bold'] as const;
const fontDir = join(dirname(createRequire(import.meta.url).resolve('@kfonts/nanum-gothic/package.json')), 'src');
const fontFiles: Record<Face, string> = { regular: 'NanumGothic.ttf', bold: 'NanumGothicBold.ttf' };
/**
 * Per thread: the font file, then pdfkit's own parse of it, which pdfkit (0.20+) accepts back.
 * Parsing the 4.6 MB files anew costs about 20 ms a certificate; subsetting stays per document.
 */
const fontSources: Partial<Record<Face, Uint8Array | object>> = {};

function registerFonts(doc: Doc) {
  for (const face of FACES) {
    fontSources[face] ??= readFileSync(join(fontDir, fontFiles[face]));
    doc.registerFont(face, fontSources[face] as Uint8Array);
  }
}

/** Keeps the parsed fonts of a finished document, when pdfkit's internals still look as expected. */
function keepParsedFonts(doc: Doc) {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { font?: { layout?: unknown } } | undefined> })._fontFamilies;
  for (const face of FACES) {
    const parsed = families?.[face]?.font;
    if (parsed && typeof parsed.layout === 'function') fontSources[face] = parsed;
  }
}

/** Renders the certificate as an A4 PDF; long field lists continue on further pages. */
export async function renderCertificatePdf(view: CertificateView): Promise<Buffer> {
  const creationDate = view.issuedAtInstant ? new Date(view.issuedAtInstant) : new Date();
  if (Number.isNaN(creationDate.getTime())) throw new RangeError(`issuedAtInstant is not an ISO 8601 instant: ${view.issuedAtInstant}`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    // No default font, or Helvetica's metrics are loaded for nothing; the typings allow only a name.
    ...({ font: null } as object),
    bufferPages: true,
    lang: view.lang === 'ko' ? 'ko-KR' : 'en',
    displayTitle: true,
    info: { Title: view.title, Author: view.issuerName, Subject: view.issueNumber, Keywords: view.verifyUrl, Creator: 'Nara', Producer: 'Nara (PDFKit)', CreationDate: creationDate, ModDate: creationDate },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerFonts(doc);

  const layout = new Layout(doc, view);
  layout.firstPage();
  const closing = layout.closing();
  layout.table(closing.height);
  closing.draw();
  layout.footers();
  keepParsedFonts(doc);
  doc.end();
  return finished;
}

class Layout {
  private y = 0;
  private readonly seed: Uint8Array;

  constructor(
    private readonly doc: Doc,
    private readonly view: CertificateView,
  ) {
    this.seed = createHash('sha256').update(`nara-certificate:${view.issueNumber}`).digest();
  }

  firstPage() {
    const { doc, view } = this;
    this.newPage();
    const top = CONTENT.top;
    const number = `${view.labels.issueNumber}  `;
    const numberStyle: Style = { face: 'bold', size: 9, color: INK.text };
    const labelStyle: Style = { face: 'regular', size: 8.5, color: INK.muted };
    const numberWidth = measure(doc, view.issueNumber, numberStyle);
    text(doc, view.issueNumber, CONTENT.right - numberWidth, top, numberStyle);
    text(doc, number, CONTENT.right - numberWidth - measure(doc, number, labelStyle), top + 0.6, labelStyle);

    // The band: issuer above, title below, on a light tint between two navy rules.
    const bandTop = top + 16;
    const issuerLine = [view.issuerName, view.issuerDepartment].filter(Boolean).join('  ·  ');
    const issuerStyle: Style = { face: 'bold', size: 10, color: INK.navy, spacing: view.lang === 'ko' ? 1 : 0.3 };
    const titleStyle: Style = { face: 'bold', size: view.lang === 'ko' ? 23 : 20, color: INK.text, spacing: view.lang === 'ko' ? 5 : 0.6 };
    const issuerLines = wrap(doc, issuerLine, issuerStyle, WIDTH - 40);
    const titleLines = wrap(doc, view.title, titleStyle, WIDTH - 40);
    const titleLeading = titleStyle.size * 1.3;
    const bandHeight = 16 + issuerLines.length * 14 + 6 + titleLines.length * titleLeading + 12;
    doc.save().rect(CONTENT.left, bandTop, WIDTH, bandHeight).fillColor(INK.tint).fillOpacity(0.92).fill().restore();
    rule(doc, CONTENT.left, CONTENT.right, bandTop, 2.4, INK.navy);
    rule(doc, CONTENT.left, CONTENT.right, bandTop + bandHeight, 0.8, INK.navy);
    let y = bandTop + 14;
    for (const line of issuerLines) {
      textCentred(doc, line, y, issuerStyle);
      y += 14;
    }
    y += 6;
    for (const line of titleLines) {
      textCentred(doc, line, y, titleStyle);
      y += titleLeading;
    }
    this.y = bandTop + bandHeight + 16;
  }

  /**
   * The holder's name, then the facts, as label and value rows; a row moves whole to the next
   * page when it fits there. The last row keeps `keepWithLast` points below it for the closing,
   * so that the statement never stands on a page without any of the facts it certifies.
   */
  table(keepWithLast: number) {
    const { doc, view } = this;
    const labelWidth = view.lang === 'ko' ? 118 : 150;
    const valueWidth = WIDTH - labelWidth;
    const labelStyle: Style = { face: 'bold', size: BODY.size - 0.4, color: INK.navy };
    const valueStyle: Style = { face: 'regular', size: BODY.size, color: INK.text };
    const holderStyle: Style = { face: 'bold', size: BODY.size + 2.2, color: INK.text };
    const rows = [
      { label: wrap(doc, view.holderLabel, labelStyle, labelWidth - 2 * BODY.padX), value: wrap(doc, view.holderName, holderStyle, valueWidth - 2 * BODY.padX), valueStyle: holderStyle, leading: BODY.lineHeight + 3 },
      ...view.fields.map((field) => ({ label: wrap(doc, field.label, labelStyle, labelWidth - 2 * BODY.padX), value: wrap(doc, field.value, valueStyle, valueWidth - 2 * BODY.padX), valueStyle, leading: BODY.lineHeight })),
    ];
    rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
    for (const [index, row] of rows.entries()) {
      let labelLines = row.label;
      let valueLines = row.value;
      const last = index === rows.length - 1;
      const rowHeight = Math.max(labelLines.length, valueLines.length, 1) * row.leading + 2 * BODY.padY;
      if (last && index > 0 && this.y + rowHeight <= CONTENT.bottom && this.y + rowHeight + keepWithLast > CONTENT.bottom) {
        rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
        this.continuationPage();
        rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
      }
      // A row taller than what is left is cut at a line boundary only when it would not fit a fresh page either.
      while (labelLines.length > 0 || valueLines.length > 0) {
        const linesNeeded = Math.max(labelLines.length, valueLines.length, 1);
        const room = Math.floor((CONTENT.bottom - this.y - 2 * BODY.padY) / row.leading);
        const freshRoom = Math.floor((CONTENT.bottom - this.continuationTop() - 2 * BODY.padY) / row.leading);
        if (room < linesNeeded && (room < 1 || linesNeeded <= freshRoom)) {
          rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
          this.continuationPage();
          rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
          continue;
        }
        const lines = Math.min(linesNeeded, room);
        const height = lines * row.leading + 2 * BODY.padY;
        doc.save().rect(CONTENT.left, this.y, labelWidth, height).fillColor(INK.tint).fillOpacity(0.85).fill().restore();
        labelLines.slice(0, lines).forEach((line, i) => text(doc, line, CONTENT.left + BODY.padX, this.y + BODY.padY + i * row.leading + (row.leading - BODY.lineHeight) / 2 + 1.2, labelStyle));
        valueLines.slice(0, lines).forEach((line, i) => text(doc, line, CONTENT.left + labelWidth + BODY.padX, this.y + BODY.padY + i * row.leading + 1, row.valueStyle));
        labelLines = labelLines.slice(lines);
        valueLines = valueLines.slice(lines);
        this.y += height;
        rule(doc, CONTENT.left + labelWidth, CONTENT.left + labelWidth, this.y - height, 0.5, INK.rule, this.y);
        rule(doc, CONTENT.left, CONTENT.right, this.y, 0.5, INK.rule);
      }
    }
    rule(doc, CONTENT.left, CONTENT.right, this.y, 1.1, INK.navy);
  }

  /**
   * Statement, then the verification panel beside the date, issuer and seal: measured first
   * so the table can keep room for it, then drawn as one block, on a new page if need be.
   */
  closing(): { height: number; draw: () => void } {
    const { doc, view } = this;
    const ko = view.lang === 'ko';
    const statementStyle: Style = { face: 'bold', size: 12, color: INK.text, spacing: ko ? 0.8 : 0 };
    const statementLines = wrap(doc, view.statement, statementStyle, WIDTH - 40);
    const statementLeading = 18;

    const qr = createQrCode(view.verifyUrl, { errorCorrectionLevel: 'M' });
    const moduleSize = QR_SYMBOL_WIDTH / qr.modules.size;
    const qrBox = (qr.modules.size + 2 * QR_QUIET_MODULES) * moduleSize;
    const panel = { width: 238, pad: 5 };
    const noteX = CONTENT.left + panel.pad + qrBox + 2;
    const noteWidth = CONTENT.left + panel.width - panel.pad - 2 - noteX;
    const hint = { style: { face: 'regular', size: 7.8, color: INK.text } as Style, leading: 10.6 };
    const url = { style: { face: 'bold', size: 7.4, color: INK.navy } as Style, leading: 9.8 };
    const number = { style: { face: 'bold', size: 8.4, color: INK.text } as Style, leading: 11 };
    const numberLabel: Style = { face: 'regular', size: 7, color: INK.muted };
    const hintLines = wrap(doc, view.verifyHint, hint.style, noteWidth);
    const urlLines = wrap(doc, view.verifyUrl, url.style, noteWidth);
    const numberLines = wrap(doc, view.issueNumber, number.style, noteWidth);
    const noteHeight = hintLines.length * hint.leading + 5 + urlLines.length * url.leading + 6 + 9.5 + numberLines.length * number.leading;
    const panelHeight = Math.max(qrBox, noteHeight) + 2 * panel.pad;

    const side = { left: CONTENT.left + panel.width + 14, right: CONTENT.right };
    const sideWidth = side.right - side.left;
    const sideCentre = (side.left + side.right) / 2;
    const date = { style: { face: 'regular', size: 11.5, color: INK.text, spacing: ko ? 1 : 0 } as Style, leading: 16 };
    const valid = { style: { face: 'regular', size: 8.4, color: INK.muted } as Style, leading: 12 };
    const issuer = { style: { face: 'bold', size: ko ? 16 : 13.5, color: INK.text, spacing: ko ? 2.5 : 0.3 } as Style, leading: ko ? 21 : 18 };
    // The seal stands just after the end of the name, leaving the whole name readable.
    const sealGap = 4;
    const sealReach = 2 * SEAL_RADIUS + sealGap;
    const dateLines = wrap(doc, view.issuedAt, date.style, sideWidth);
    const validLines = view.validUntil ? wrap(doc, `${view.labels.validUntil}  ${view.validUntil}`, valid.style, sideWidth) : [];
    const issuerLines = wrap(doc, view.issuerName, issuer.style, sideWidth - sealReach);
    const issuerHeight = Math.max(issuerLines.length * issuer.leading, 2 * SEAL_RADIUS);
    const sideHeight = dateLines.length * date.leading + validLines.length * valid.leading + 10 + issuerHeight;

    const height = 12 + statementLines.length * statementLeading + 10 + Math.max(panelHeight, sideHeight);
    const draw = () => {
      if (this.y + height > CONTENT.bottom) this.continuationPage();
      let y = this.y + 12;
      for (const line of statementLines) {
        textCentred(doc, line, y, statementStyle);
        y += statementLeading;
      }
      y += 10;

      // Verification panel: white behind the code so the background pattern cannot confuse a scanner.
      const panelTop = y;
      doc.save().rect(CONTENT.left, panelTop, panel.width, panelHeight).fillColor('#ffffff').fill();
      doc.rect(CONTENT.left, panelTop, panel.width, panelHeight).lineWidth(0.6).strokeColor(INK.rule).stroke().restore();
      const qrTop = panelTop + (panelHeight - qrBox) / 2;
      drawQr(doc, qr.modules, CONTENT.left + panel.pad + QR_QUIET_MODULES * moduleSize, qrTop + QR_QUIET_MODULES * moduleSize, moduleSize);
      let noteY = panelTop + (panelHeight - noteHeight) / 2;
      for (const line of hintLines) {
        text(doc, line, noteX, noteY, hint.style);
        noteY += hint.leading;
      }
      noteY += 5;
      for (const line of urlLines) {
        text(doc, line, noteX, noteY, url.style);
        noteY += url.leading;
      }
      noteY += 6;
      text(doc, view.labels.issueNumber, noteX, noteY, numberLabel);
      noteY += 9.5;
      for (const line of numberLines) {
        text(doc, line, noteX, noteY, number.style);
        noteY += number.leading;
      }

      // Date and validity centred over the issuer's name, and the seal stamped over the end of it.
      let sideY = panelTop + Math.max(0, (panelHeight - sideHeight) / 2);
      for (const line of dateLines) {
        textCentredIn(doc, line, sideCentre, sideY, date.style);
        sideY += date.leading;
      }
      for (const line of validLines) {
        textCentredIn(doc, line, sideCentre, sideY, valid.style);
        sideY += valid.leading;
      }
      sideY += 10;
      const nameWidth = Math.max(...issuerLines.map((line) => measure(doc, line, issuer.style) - (issuer.style.spacing ?? 0)));
      const nameLeft = sideCentre - (nameWidth + sealReach) / 2;
      const sealCy = sideY + issuerHeight / 2;
      let nameY = sealCy - (issuerLines.length * issuer.leading) / 2 + (issuer.leading - issuer.style.size) / 2 - 1;
      for (const line of issuerLines) {
        textCentredIn(doc, line, nameLeft + nameWidth / 2, nameY, issuer.style);
        nameY += issuer.leading;
      }
      drawSeal(doc, nameLeft + nameWidth + sealGap + SEAL_RADIUS, sealCy, view);
      this.y = panelTop + Math.max(panelHeight, sideHeight);
    };
    return { height, draw };
  }

  /** Issue number, page x / y and the fingerprint at the foot of every page, once the page count is known; and the microtext. */
  footers() {
    const { doc, view } = this;
    const { start, count } = doc.bufferedPageRange();
    const small: Style = { face: 'regular', size: 7.4, color: INK.muted };
    const smallBold: Style = { face: 'bold', size: 7.4, color: INK.text };
    const micro: Style = { face: 'regular', size: 5.6, color: INK.muted };
    for (let index = start; index < start + count; index++) {
      doc.switchToPage(index);
      const y = PAGE.height - 70;
      rule(doc, CONTENT.left, CONTENT.right, y, 0.5, INK.rule);
      // Every page names its certificate, so a page swapped in from another one shows.
      let x = CONTENT.left;
      for (const [label, value] of [
        [view.labels.issueNumber, view.issueNumber],
        [view.labels.issuedAt, view.issuedAt],
      ] as const) {
        text(doc, `${label} `, x, y + 6, small);
        x += measure(doc, `${label} `, small);
        text(doc, value, x, y + 6, smallBold);
        x += measure(doc, value, smallBold) + 14;
      }
      if (count > 1) {
        const page = `${view.labels.page} ${index - start + 1} / ${count}`;
        text(doc, page, CONTENT.right - measure(doc, page, smallBold), y + 6, smallBold);
      }
      const fingerprint = `${view.labels.fingerprint} (SHA-256)  ${view.fingerprint}`;
      for (const [i, line] of wrap(doc, fingerprint, micro, WIDTH).entries()) text(doc, line, CONTENT.left, y + 17 + i * 7, micro);
      drawMicrotext(doc, view.issueNumber);
    }
  }

  private continuationTop() {
    return CONTENT.top + 26;
  }

  private newPage() {
    this.doc.addPage({ size: 'A4', margin: 0 });
    drawBackground(this.doc, this.seed);
    this.y = CONTENT.top;
  }

  /** A later page: a slim header naming the document, then the table goes on. */
  private continuationPage() {
    const { doc, view } = this;
    this.newPage();
    const small: Style = { face: 'regular', size: 8.5, color: INK.muted };
    const title: Style = { face: 'bold', size: 10.5, color: INK.navy };
    const heading = `${view.title} ${CONTINUED[view.lang]}`;
    const headingLine = fitLine(doc, heading, title, WIDTH - 2 * 130);
    textCentred(doc, headingLine, CONTENT.top, title);
    text(doc, fitLine(doc, view.issuerName, small, 125), CONTENT.left, CONTENT.top + 1.5, small);
    text(doc, view.issueNumber, CONTENT.right - measure(doc, view.issueNumber, small), CONTENT.top + 1.5, small);
    rule(doc, CONTENT.left, CONTENT.right, CONTENT.top + 16, 0.5, INK.rule);
    this.y = this.continuationTop();
  }
}

function measure(doc: Doc, value: string, style: Style): number {
  doc.font(style.face).fontSize(style.size);
  return doc.widthOfString(value, { characterSpacing: style.spacing ?? 0 });
}

/** One line at (x, y), y being the top of the line; never wraps or adds pages (the layout does both). */
function text(doc: Doc, value: string, x: number, y: number, style: Style) {
  doc
    .font(style.face)
    .fontSize(style.size)
    .fillColor(style.color)
    .text(value, x, y, { lineBreak: false, characterSpacing: style.spacing ?? 0 });
}

function textCentred(doc: Doc, value: string, y: number, style: Style) {
  textCentredIn(doc, value, CONTENT.left + WIDTH / 2, y, style);
}

function textCentredIn(doc: Doc, value: string, centre: number, y: number, style: Style) {
  // Letter spacing also follows the last character; leave it out of the centring.
  const width = measure(doc, value, style) - (style.spacing ?? 0);
  text(doc, value, centre - width / 2, y, style);
}

function rule(doc: Doc, x1: number, x2: number, y: number, width: number, color: string, y2 = y) {
  doc
    .save()
    .moveTo(x1, y)
    .lineTo(x2, y2)
    .lineWidth(width)
    .strokeColor(color)
    .stroke()
    .restore();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Breaks text into lines no wider than `width`: at spaces, and inside a word only when the
 * word alone is too wide (an address or URL without spaces). Line breaks in the text are kept.
 */
function wrap(doc: Doc, value: string, style: Style, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of value.replace(/\t/g, ' ').split(/\r?\n/)) {
    let line = '';
    for (const token of paragraph.split(/(?<=\s)(?=\S)/)) {
      const candidate = line + token;
      if (measure(doc, candidate.trimEnd(), style) <= width) {
        line = candidate;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = '';
      // Too wide alone: break after a URL's or number's punctuation where possible, else anywhere.
      for (const piece of token.split(/(?<=[/?&=\-_.,])(?=[^/?&=\-_.,])/)) {
        if (measure(doc, (line + piece).trimEnd(), style) <= width) {
          line += piece;
          continue;
        }
        if (line) lines.push(line.trimEnd());
        line = '';
        for (const { segment } of graphemes.segment(piece)) {
          if (line && measure(doc, (line + segment).trimEnd(), style) > width) {
            lines.push(line.trimEnd());
            line = segment.trimStart();
          } else line += segment;
        }
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The text cut to one line, with an ellipsis when it had to be cut. */
function fitLine(doc: Doc, value: string, style: Style, width: number): string {
  if (measure(doc, value, style) <= width) return value;
  const characters = Array.from(graphemes.segment(value), ({ segment }) => segment);
  while (characters.length > 1 && measure(doc, `${characters.join('')}…`, style) > width) characters.pop();
  return `${characters.join('').trimEnd()}…`;
}

/** Dark modules as filled rectangles, a row's run of modules as one. */
function drawQr(doc: Doc, modules: { size: number; get(row: number, col: number): number | boolean }, x: number, y: number, moduleSize: number) {
  doc.save().rect(x - QR_QUIET_MODULES * moduleSize, y - QR_QUIET_MODULES * moduleSize, (modules.size + 2 * QR_QUIET_MODULES) * moduleSize, (modules.size + 2 * QR_QUIET_MODULES) * moduleSize).fillColor('#ffffff').fill();
  // A hair of overlap between rows keeps rasterisers from drawing seams through the symbol.
  const bleed = 0.02;
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + start * moduleSize, y + row * moduleSize - bleed, (col - start) * moduleSize, moduleSize + 2 * bleed);
    }
  }
  doc.fillColor('#000000').fill();
  doc.restore();
}

/** A red double ring: the issuer's name around the ring and an office-seal word in the middle. */
function drawSeal(doc: Doc, cx: number, cy: number, view: CertificateView) {
  const outer = SEAL_RADIUS;
  const inner = SEAL_RADIUS * 0.7;
  doc.save().fillOpacity(0.88).strokeOpacity(0.88);
  doc.circle(cx, cy, outer - 0.9).lineWidth(1.8).strokeColor(INK.seal).stroke();
  doc.circle(cx, cy, inner).lineWidth(0.7).strokeColor(INK.seal).stroke();

  // Ring text reads clockwise from the top, spread evenly around the circle.
  const base = view.lang === 'ko' ? view.issuerName : view.issuerName.toUpperCase();
  const ringRadius = inner + 1.8;
  let ringStyle: Style = { face: 'bold', size: view.lang === 'ko' ? 6.6 : 5.4, color: INK.seal };
  const circumference = 2 * Math.PI * (ringRadius + ringStyle.size * 0.35);
  let ring = `${base} ★ `;
  if (measure(doc, ring.repeat(2), ringStyle) < circumference * 0.8) ring = ring.repeat(2);
  while (measure(doc, ring, ringStyle) > circumference * 0.92 && ringStyle.size > 3.6) ringStyle = { ...ringStyle, size: ringStyle.size - 0.2 };
  if (measure(doc, ring, ringStyle) > circumference * 0.92) ring = `${fitLine(doc, base, ringStyle, circumference * 0.85)} ★ `;
  const glyphs = Array.from(graphemes.segment(ring), ({ segment }) => segment);
  const widths = glyphs.map((glyph) => measure(doc, glyph, ringStyle));
  const gap = (circumference - widths.reduce((sum, width) => sum + width, 0)) / glyphs.length;
  let along = 0;
  doc.font(ringStyle.face).fontSize(ringStyle.size).fillColor(INK.seal);
  glyphs.forEach((glyph, i) => {
    const width = widths[i]!;
    const angle = ((along + width / 2) / circumference) * 360;
    along += width + gap;
    if (!glyph.trim()) return;
    doc.save().translate(cx, cy).rotate(angle).text(glyph, -width / 2, -ringRadius, { lineBreak: false, baseline: 'alphabetic' }).restore();
  });

  const centre = SEAL_CENTRE[view.lang];
  const centreStyle: Style = view.lang === 'ko' ? { face: 'bold', size: 14, color: INK.seal, spacing: 1.5 } : { face: 'bold', size: 7, color: INK.seal, spacing: 0.4 };
  const leading = centreStyle.size * 1.2;
  centre.forEach((line, i) => {
    const width = measure(doc, line, centreStyle) - (centreStyle.spacing ?? 0);
    const top = cy - (centre.length * leading) / 2 + i * leading + (leading - centreStyle.size) / 2 - centreStyle.size * 0.08;
    text(doc, line, cx - width / 2, top, centreStyle);
  });
  doc.restore();
}

/** A small deterministic generator, so the same issue number always draws the same pattern. */
function random(seed: Uint8Array, offset: number) {
  let state = new DataView(seed.buffer, seed.byteOffset, seed.byteLength).getUint32(offset % 28);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Curve = (t: number) => [number, number];

interface FrameSide {
  /** The outer corner the side starts from, going clockwise */
  origin: [number, number];
  angle: number;
  length: number;
  /** A point `along` the side and `across` it (inwards) on the page */
  at(along: number, across: number): [number, number];
}

/**
 * Draws on the four sides of a band `depth` wide whose outer edge is `inset` from the page
 * edge, each side clipped to a trapezoid so that the sides meet in mitred corners.
 */
function eachFrameSide(doc: Doc, inset: number, depth: number, draw: (side: FrameSide) => void) {
  const [width, height] = [PAGE.width - 2 * inset, PAGE.height - 2 * inset];
  const sides = [
    { origin: [inset, inset], angle: 0, length: width },
    { origin: [PAGE.width - inset, inset], angle: 90, length: height },
    { origin: [PAGE.width - inset, PAGE.height - inset], angle: 180, length: width },
    { origin: [inset, PAGE.height - inset], angle: 270, length: height },
  ] as const;
  for (const { origin, angle, length } of sides) {
    const [cos, sin] = [Math.round(Math.cos((angle * Math.PI) / 180)), Math.round(Math.sin((angle * Math.PI) / 180))];
    const at = (along: number, across: number): [number, number] => [origin[0] + along * cos - across * sin, origin[1] + along * sin + across * cos];
    doc.save();
    doc.polygon(at(0, 0), at(length, 0), at(length - depth, depth), at(depth, depth)).clip();
    draw({ origin: [origin[0], origin[1]], angle, length, at });
    doc.restore();
  }
}

/**
 * Draws a parametric curve as cubic Béziers through samples of it, with tangents from the
 * curve itself: smooth at any zoom with a few segments per wave, which keeps the page small.
 */
function traceCurve(doc: Doc, curve: Curve, segments: number) {
  const step = 1 / segments;
  const h = step / 50;
  // A tenth of a point (0.035 mm) is below what print shows and keeps the numbers short.
  const round = (value: number) => Math.round(value * 10) / 10;
  const tangent = (t: number) => {
    const [x0, y0] = curve(t - h);
    const [x1, y1] = curve(t + h);
    return [((x1 - x0) / (2 * h)) * (step / 3), ((y1 - y0) / (2 * h)) * (step / 3)] as const;
  };
  let [x, y] = curve(0);
  let [dx, dy] = tangent(0);
  doc.moveTo(round(x), round(y));
  for (let i = 1; i <= segments; i++) {
    const t = i * step;
    const [nx, ny] = curve(t);
    const [ndx, ndy] = tangent(t);
    doc.bezierCurveTo(round(x + dx), round(y + dy), round(nx - ndx), round(ny - ndy), round(nx), round(ny));
    [x, y, dx, dy] = [nx, ny, ndx, ndy];
  }
}

/**
 * The anti-copy ground of every page: a guilloche rosette and wave border derived from the
 * issue number, and the framing rules. A photocopy or a pasted-over value breaks the fine
 * lines; a different issue number draws different curves.
 */
function drawBackground(doc: Doc, seed: Uint8Array) {
  const next = random(seed, 0);
  doc.save();

  // Rosette: woven rings, each a few phase-shifted copies of r(θ) = R + a·sin(nθ + φ) + b·sin(mθ).
  const cx = PAGE.width / 2;
  const cy = PAGE.height * 0.47;
  const rings = [
    { radius: 62, amplitude: 11, copies: 6, color: INK.guilloche },
    { radius: 138, amplitude: 17, copies: 8, color: INK.guillocheAlt },
    { radius: 214, amplitude: 15, copies: 8, color: INK.guilloche },
  ];
  for (const ring of rings) {
    const lobes = Math.round(ring.radius / 7) + Math.floor(next() * 5);
    const sway = 2 + Math.floor(next() * 4);
    const swayDepth = ring.amplitude * (0.2 + next() * 0.25);
    const turn = next() * 2 * Math.PI;
    doc.lineWidth(0.32).strokeColor(ring.color).strokeOpacity(0.9);
    for (let copy = 0; copy < ring.copies; copy++) {
      const phase = (copy / ring.copies) * 2 * Math.PI;
      traceCurve(
        doc,
        (t) => {
          const theta = t * 2 * Math.PI + turn;
          const r = ring.radius + ring.amplitude * Math.sin(lobes * theta + phase) + swayDepth * Math.sin(sway * theta + phase / 2);
          return [cx + r * Math.cos(theta), cy + r * Math.sin(theta)];
        },
        lobes * 3,
      );
      doc.closePath().stroke();
    }
  }

  // Wave border: interlaced sine strands in the band between the outer rules, mitred at the corners.
  const wavelength = 15 + next() * 6;
  const bandDepth = FRAME.band - FRAME.outer;
  const amplitude = bandDepth / 2 - 1.4;
  const strands = 3;
  doc.lineWidth(0.3).strokeColor(INK.guilloche).strokeOpacity(1);
  eachFrameSide(doc, FRAME.outer, bandDepth, (side) => {
    const cycles = Math.max(1, Math.round(side.length / wavelength));
    for (let strand = 0; strand < strands; strand++) {
      traceCurve(doc, (s) => side.at(s * side.length, bandDepth / 2 + amplitude * Math.sin(2 * Math.PI * cycles * s + (strand * 2 * Math.PI) / strands)), cycles * 3);
      doc.stroke();
    }
  });

  // Framing rules.
  doc.lineWidth(1.1).strokeColor(INK.navy).strokeOpacity(1);
  doc.rect(FRAME.outer, FRAME.outer, PAGE.width - 2 * FRAME.outer, PAGE.height - 2 * FRAME.outer).stroke();
  doc.lineWidth(0.35).rect(FRAME.band, FRAME.band, PAGE.width - 2 * FRAME.band, PAGE.height - 2 * FRAME.band).stroke();
  doc.lineWidth(0.6).rect(FRAME.inner, FRAME.inner, PAGE.width - 2 * FRAME.inner, PAGE.height - 2 * FRAME.inner).stroke();
  doc.restore();
}

/**
 * Microtext between the frame rules: the issue number over and over, too small to retype
 * cleanly or to survive a photocopy. Drawn last so that extracted text reads the page first.
 */
function drawMicrotext(doc: Doc, issueNumber: string) {
  const microStyle: Style = { face: 'regular', size: 2.6, color: INK.navy, spacing: 0.15 };
  const unit = `${issueNumber}  ·  `;
  const unitWidth = measure(doc, unit, microStyle);
  eachFrameSide(doc, FRAME.band, FRAME.inner - FRAME.band, (side) => {
    doc.save().translate(...side.origin).rotate(side.angle);
    text(doc, unit.repeat(Math.ceil(side.length / unitWidth) + 1), -unitWidth / 3, FRAME.micro - FRAME.band + 0.5, microStyle);
    doc.restore();
  });
}
