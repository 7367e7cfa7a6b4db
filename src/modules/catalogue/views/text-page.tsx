import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';

/** A page of plain paragraphs from the catalogue: `<name>.title`, `<name>.p1` … */
export function TextPage({ ctx, name, paragraphs }: { ctx: PageContext; name: string; paragraphs: number }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`${name}.title`)}>
      <div class="nara-narrow">
        <PageHeading>{t(`${name}.title`)}</PageHeading>
        {Array.from({ length: paragraphs }, (_, i) => (
          <p>{t(`${name}.p${i + 1}`)}</p>
        ))}
      </div>
    </Layout>
  );
}
