import type { PageContext } from '../../../platform/views/context.ts';
import { CsrfField } from '../../../platform/views/components.tsx';
import type { LocalText } from '../../../platform/db/schema.ts';
import type { AttachmentView } from '../attachments.ts';

export interface AttachmentsSectionProps {
  ctx: PageContext;
  applicationId: number;
  /** where the download links point: the applicant's or the official's path */
  base: string;
  documents: LocalText[];
  attachments: AttachmentView[];
  /** the applicant may still add and remove documents */
  editable: boolean;
  error?: string | undefined;
  maxMb: number;
}

const size = (bytes: number, locale: string) => `${new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;

/** The documents attached to an application, and (while it can change) the form to add one. */
export function AttachmentsSection({ ctx, applicationId, base, documents, attachments, editable, error, maxMb }: AttachmentsSectionProps) {
  const { t, locale } = ctx;
  const documentName = (d: string) => (d === 'other' ? t('applications.attachment.other') : (documents[Number(d)]?.[locale] ?? d));
  return (
    <section aria-labelledby="attachments-heading" id="attachments">
      <h2 id="attachments-heading" class="nara-section-title">{t('applications.attachments')}</h2>
      {attachments.length === 0 ? (
        <p>{t('applications.attachments.none')}</p>
      ) : (
        <ul class="nara-attachments">
          {attachments.map((a) => (
            <li>
              <span class="nara-muted">{documentName(a.document)}</span>{' '}
              {a.scanStatus === 'infected' ? <span>{a.filename}</span> : <a href={`${base}/${a.id}`}>{a.filename}</a>} ({size(a.sizeBytes, locale)}) · {t(`applications.attachment.scan.${a.scanStatus}`)}
              {editable ? (
                <form method="post" action={`/applications/${applicationId}/attachments/${a.id}/remove`} class="nara-inline-form">
                  <CsrfField ctx={ctx} />{' '}
                  <button type="submit" class="krds-btn xsmall tertiary">
                    {t('applications.attachment.remove', { name: a.filename })}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form method="post" action={`/applications/${applicationId}/attachments`} enctype="multipart/form-data" class="nara-panel">
          <CsrfField ctx={ctx} />
          <div class="form-group nara-field">
            <div class="form-tit">
              <label for="attachment-document">{t('applications.attachment.document')}</label>
            </div>
            <div class="form-conts">
              <select id="attachment-document" name="document" class="krds-form-select">
                {documents.map((d, i) => <option value={String(i)}>{d[locale]}</option>)}
                <option value="other">{t('applications.attachment.other')}</option>
              </select>
            </div>
          </div>
          <div class={`form-group nara-field${error ? ' is-error' : ''}`}>
            <div class="form-tit">
              <label for="attachment-file">{t('applications.attachment.file')}</label>
            </div>
            <p class="form-hint" id="attachment-file-hint">{t('applications.attachment.hint', { mb: maxMb })}</p>
            <div class="form-conts">
              <input type="file" id="attachment-file" name="file" accept="application/pdf,image/png,image/jpeg" aria-describedby={error ? 'attachment-file-hint attachment-file-error' : 'attachment-file-hint'} aria-invalid={error ? 'true' : undefined} />
            </div>
            {error ? <p class="form-hint-invalid" id="attachment-file-error" role="alert">{error}</p> : null}
          </div>
          <button type="submit" class="krds-btn medium secondary">{t('applications.attachment.upload')}</button>
        </form>
      ) : null}
    </section>
  );
}
