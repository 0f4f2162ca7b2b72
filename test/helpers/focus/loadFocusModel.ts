/**
 * Reads the vendored FOCUS requirements model (test/fixtures/focus/<version>/, see its SOURCE.md).
 * Typed only as far as the evaluator reads it: a requirement or condition stays a loose record
 * because the model's check functions carry different argument names (ColumnName, ColumnAName, Path…).
 */
import { readFileSync } from 'node:fs';

/** A check as the model writes it: `{ CheckFunction, ...arguments }`, or `{}` for a Dynamic rule. */
export type FocusCheck = Readonly<Record<string, unknown>>;

export interface FocusRule {
  readonly Function: string;
  readonly Reference: string;
  readonly EntityType: string;
  readonly EntityId: string;
  readonly Status: string;
  readonly ModelVersionRemoved?: string;
  readonly ApplicabilityCriteria: readonly string[];
  readonly DatasetId?: string;
  readonly Type: 'Static' | 'Dynamic';
  readonly ValidationCriteria: {
    readonly MustSatisfy: string;
    readonly Keyword: string;
    readonly Requirement: FocusCheck;
    readonly Condition: FocusCheck;
    readonly Dependencies: readonly string[];
  };
}

export interface FocusModel {
  readonly Details: { readonly ModelVersion: string; readonly FOCUSVersion: string };
  readonly ApplicabilityCriteria: Readonly<Record<string, { readonly Description: string }>>;
  readonly CheckFunctions: Readonly<
    Record<string, { readonly Description: string; readonly Arguments: readonly string[] }>
  >;
  readonly ModelDatasets: Readonly<Record<string, { readonly ModelRules: readonly string[] }>>;
  readonly ModelRules: Readonly<Record<string, FocusRule>>;
}

const MODELS = {
  '1.3': new URL('../../fixtures/focus/1.3/model-1.3.json', import.meta.url),
} as const;

export function loadFocusModel(version: keyof typeof MODELS): FocusModel {
  const model = JSON.parse(readFileSync(MODELS[version], 'utf8')) as FocusModel;
  if (model.Details.FOCUSVersion !== version) {
    throw new Error(`the vendored model for FOCUS ${version} says it is FOCUS ${model.Details.FOCUSVersion}`);
  }
  return model;
}
