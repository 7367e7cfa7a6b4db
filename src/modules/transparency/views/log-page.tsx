import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, Notice, PageHeading } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';
import type { StoredHead } from '../repository.ts';
import type { GrowthDay } from '../log-growth.ts';

export interface LogPageProps {
  ctx: PageContext;
  head: StoredHead | undefined;
  keyId: string;
  publicKey: string;
  growth: GrowthDay[];
  timeZone: string;
  operator: boolean;
  signed: boolean;
}

const API = ['get-sth', 'get-sth-consistency?first=1&second=2', 'get-proof-by-hash?hash=…&tree_size=…', 'get-entries?start=0&end=9', 'get-public-key'];

/** The log explained in plain words, its latest signed head, its growth, and its API. */
export function LogPage({ ctx, head, keyId, publicKey, growth, timeZone, operator, signed }: LogPageProps) {
  const { t, locale } = ctx;
  const number = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB');
  const largest = Math.max(1, ...growth.map((g) => g.treeSize));
  return (
    <Layout ctx={ctx} title={t('transparency.title')}>
      <PageHeading>{t('transparency.title')}</PageHeading>
      <div class="nara-log">
      {signed ? <Notice kind="success">{t('transparency.signed')}</Notice> : null}
      <p>{t('transparency.p1')}</p>
      <p>{t('transparency.p2')}</p>
      <p>{t('transparency.p3')}</p>

      <h2 class="nara-section-title">{t('transparency.head')}</h2>
      {head ? (
        <dl class="nara-dl">
          <dt>{t('transparency.head.size')}</dt>
          <dd>{t('transparency.entries', { count: number.format(head.treeSize) })}</dd>
          <dt>{t('transparency.head.time')}</dt>
          <dd>
            <time datetime={new Date(head.timestamp).toISOString()}>{formatDateTime(new Date(head.timestamp), locale, timeZone)}</time>
          </dd>
          <dt>{t('transparency.head.root')}</dt>
          <dd>
            <code class="nara-hash">{Buffer.from(head.rootHash).toString('hex')}</code>
          </dd>
          <dt>{t('transparency.head.key')}</dt>
          <dd>
            <code class="nara-hash">{keyId}</code>
          </dd>
        </dl>
      ) : (
        <p>{t('transparency.head.none')}</p>
      )}

      <h2 class="nara-section-title" id="growth-heading">{t('transparency.growth')}</h2>
      {growth.length === 0 ? (
        <p>{t('transparency.growth.none')}</p>
      ) : (
        <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="growth-heading">
          <table class="nara-table">
            <thead>
              <tr>
                <th scope="col">{t('transparency.growth.day')}</th>
                <th scope="col">{t('transparency.growth.size')}</th>
              </tr>
            </thead>
            <tbody>
              {growth.map((g) => (
                <tr>
                  <th scope="row">{g.day}</th>
                  <td>
                    <meter class="nara-bar" min={0} max={largest} value={g.treeSize} aria-hidden="true"></meter> {number.format(g.treeSize)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 class="nara-section-title">{t('transparency.api')}</h2>
      <p>{t('transparency.api.intro')}</p>
      <ul>
        {API.map((path) => (
          <li>
            <a href={`/transparency/v1/${path.includes('…') ? path.split('?')[0] : path}`}>
              <code>/transparency/v1/{path}</code>
            </a>
          </li>
        ))}
      </ul>
      <p>{t('transparency.api.monitor')}</p>
      <pre class="nara-code">npm run nara -- log monitor --url {'<'}https://…{'>'}</pre>
      <details>
        <summary>{t('transparency.publicKey')}</summary>
        <pre class="nara-code">{publicKey}</pre>
      </details>

      {operator ? (
        <form method="post" action="/transparency/sign" class="nara-form">
          <CsrfField ctx={ctx} />
          <p>{t('transparency.sign.help')}</p>
          <button type="submit" class="krds-btn medium secondary">
            {t('transparency.sign')}
          </button>
        </form>
      ) : null}
      </div>
    </Layout>
  );
}
