import type { PageContext } from '../../../platform/views/context.ts';
import { formatDateTime } from '../../../platform/views/format.ts';

export interface TimelineStep {
  seq: number;
  action: string;
  statusAfter: string;
  actorKind: 'applicant' | 'official' | 'system';
  actorName: string | null;
  departmentName: string | null;
  assisted: boolean;
  note: string | null;
  details: Record<string, unknown>;
  recordedAt: Date;
}

/** Every step of an application: what happened, who (name, position, department), when (server clock). */
/**
 * With `checkable`, each step has a button (shown by a script) that checks the step
 * against the public transparency log in the browser.
 */
export function Timeline({ ctx, steps, timeZone, departmentName, checkable = false }: { ctx: PageContext; steps: TimelineStep[]; timeZone: string; departmentName: (id: number) => string; checkable?: boolean }) {
  const { t, locale } = ctx;
  const who = (s: TimelineStep) => {
    if (s.actorKind === 'system') return t('applications.actor.system', { rules: String(s.details.ruleSet ?? ''), version: String(s.details.ruleVersion ?? '') });
    if (s.actorKind === 'applicant') return s.assisted ? t('applications.actor.applicantAssisted') : t('applications.actor.applicant');
    return [s.actorName, s.departmentName].filter(Boolean).join(' · ');
  };
  return (
    <ol class="nara-timeline" aria-live="polite" id="timeline">
      {steps.map((s) => (
        <li class={`nara-timeline-step is-${s.statusAfter}`} id={`step-${s.seq}`} data-action={s.action}>
          <p class="nara-timeline-what">
            <strong>{t(`applications.step.${s.action}`)}</strong>
            {s.action === 'forward' && typeof s.details.toDepartmentId === 'number' ? ` → ${departmentName(s.details.toDepartmentId)}` : ''}
          </p>
          <p class="nara-timeline-who">{who(s)}</p>
          <p class="nara-muted">
            <time datetime={s.recordedAt.toISOString()}>{formatDateTime(s.recordedAt, locale, timeZone)}</time>
          </p>
          {s.note ? <p class="nara-timeline-note">{s.note}</p> : null}
          {checkable ? (
            <>
              <button type="button" class="krds-btn xsmall tertiary nara-log-check" data-seq={s.seq} hidden>
                {t('transparency.check.button')}
              </button>
              <p class="nara-log-result" id={`log-result-${s.seq}`} aria-live="polite"></p>
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
