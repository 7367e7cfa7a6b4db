import jsonLogic from 'json-logic-js';
import type { LocalText } from '../../platform/db/schema.ts';
import type { FormData } from '../catalogue/index.ts';

/**
 * A service's automatic decision rules: when the json-logic condition holds over the
 * answers and the register facts (`facts.*`), the application is decided at once with the
 * outcome; otherwise it goes to an official. The id and version are recorded on the step.
 */
export interface DecisionRules {
  id: string;
  version: number;
  description: LocalText;
  when: unknown;
  outcome: 'approved' | 'rejected';
}

export function isDecisionRules(value: unknown): value is DecisionRules {
  if (!value || typeof value !== 'object') return false;
  const r = value as Partial<DecisionRules>;
  return typeof r.id === 'string' && Number.isInteger(r.version) && r.when !== undefined && (r.outcome === 'approved' || r.outcome === 'rejected');
}

/** The outcome the rules give, or undefined when they do not decide (or are malformed). */
export function evaluateRules(rules: unknown, answers: FormData, facts: Record<string, unknown>): 'approved' | 'rejected' | undefined {
  if (!isDecisionRules(rules)) return undefined;
  try {
    return jsonLogic.apply(rules.when as jsonLogic.RulesLogic, { ...answers, facts }) === true ? rules.outcome : undefined;
  } catch {
    // A rule that cannot be evaluated never decides: a person does.
    return undefined;
  }
}
