/**
 * The integrity index, as published on /integrity: out of 10, from the last twelve months.
 * Weights: not asked for anything improper 40 %, satisfaction 20 %, decided within the
 * statutory period 20 %, few supplement requests 10 %, decisions not reversed 10 %.
 */
export interface IntegrityInputs {
  /** feedback responses */
  responses: number;
  /** responses saying nothing improper was asked for */
  clean: number;
  /** sum of satisfaction scores, 1 to 5 each */
  satisfactionSum: number;
  /** decisions in the period */
  decided: number;
  withinDeadline: number;
  /** supplement requests on those applications */
  supplements: number;
  /** decided applications whose decision was taken back at least once */
  reversed: number;
}

export const INTEGRITY_MINIMUM = 10;

/** The index to one decimal, or null below the minimum number of responses. */
export function integrityIndex(i: IntegrityInputs): number | null {
  if (i.responses < INTEGRITY_MINIMUM || i.decided === 0) return null;
  const clean = i.clean / i.responses;
  const satisfaction = (i.satisfactionSum / i.responses - 1) / 4;
  const onTime = i.withinDeadline / i.decided;
  const fewSupplements = 1 - Math.min(1, i.supplements / i.decided);
  const notReversed = 1 - i.reversed / i.decided;
  const score = 10 * (0.4 * clean + 0.2 * satisfaction + 0.2 * onTime + 0.1 * fewSupplements + 0.1 * notReversed);
  return Math.round(score * 10) / 10;
}
