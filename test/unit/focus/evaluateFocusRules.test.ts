/**
 * The FOCUS rule evaluator (test/helpers/focus/) on small synthetic datasets against the vendored
 * FOCUS 1.3 model, and on a hand-made model where a rule's shape matters more than its text.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateFocusRules,
  type EvaluateOptions,
  type FocusEvaluation,
  type FocusRuleResult,
} from '../../helpers/focus/evaluateFocusRules.js';
import {
  loadFocusModel,
  type FocusCheck,
  type FocusModel,
  type FocusRule,
} from '../../helpers/focus/loadFocusModel.js';

const model = loadFocusModel('1.3');
type Row = Record<string, string | null>;

/** One usage row with every column a Cost and Usage dataset needs when no criteria are declared. */
const VALID: Row = {
  BilledCost: '12.5',
  BillingAccountId: 'acct-1',
  BillingAccountName: 'Acme',
  BillingCurrency: 'USD',
  BillingPeriodStart: '2026-11-01T00:00:00Z',
  BillingPeriodEnd: '2026-12-01T00:00:00Z',
  ChargeCategory: 'Usage',
  ChargeClass: null,
  ChargeDescription: 'API calls',
  ChargeFrequency: 'Usage-Based',
  ChargePeriodStart: '2026-11-05T00:00:00Z',
  ChargePeriodEnd: '2026-11-06T00:00:00Z',
  ContractedCost: '12.5',
  EffectiveCost: '12.5',
  ListCost: '12.5',
  HostProviderName: 'Acme Cloud',
  InvoiceId: 'inv-1',
  InvoiceIssuerName: 'Acme Cloud',
  PricingQuantity: '1000',
  PricingUnit: 'Requests',
  ProviderName: 'Acme Cloud',
  PublisherName: 'Acme Cloud',
  ServiceCategory: 'Compute',
  ServiceName: 'Acme API',
  ServiceProviderName: 'Acme Cloud',
  ServiceSubcategory: 'Other (Compute)',
  SkuId: 'sku-1',
  SkuPriceId: 'price-1',
};

function evaluate(
  rows: Row[],
  options: Partial<EvaluateOptions> = {},
  columns = [...new Set(rows.flatMap((r) => Object.keys(r)))],
): FocusEvaluation {
  return evaluateFocusRules(model, { columns, rows }, { dataset: 'CostAndUsage', criteria: new Set(), ...options });
}

function result(evaluation: FocusEvaluation, id: string): FocusRuleResult {
  const found = evaluation.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

/** The id of the one Cost and Usage rule whose Requirement is `fn` on `column` (and matches `more`). */
function ruleId(fn: string, column: string, more: Partial<FocusCheck> = {}): string {
  const ids = Object.entries(model.ModelRules)
    .filter(([, r]) => r.DatasetId === 'CostAndUsage' && r.Status === 'Active')
    .filter(([, r]) => {
      const req = r.ValidationCriteria.Requirement;
      return (
        req.CheckFunction === fn && req.ColumnName === column && Object.entries(more).every(([k, v]) => req[k] === v)
      );
    })
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`${ids.length} rules check ${fn} on ${column}: ${ids.join(', ')}`);
  return ids[0]!;
}

const failures = (evaluation: FocusEvaluation) =>
  evaluation.rules.filter((r) => r.status === 'failed' || r.status === 'not-evaluable');

describe('the vendored FOCUS 1.3 model', () => {
  it('has 933 rules, 723 of them for the Cost and Usage dataset', () => {
    const rules = Object.values(model.ModelRules);
    expect(rules).toHaveLength(933);
    expect(rules.filter((r) => r.DatasetId === 'CostAndUsage')).toHaveLength(723);
    expect(model.Details).toEqual({ ModelVersion: '1.3', FOCUSVersion: '1.3' });
  });
});

describe('evaluateFocusRules on the FOCUS 1.3 model', () => {
  it('finds nothing to fault in one valid usage row when no criteria are declared', () => {
    const evaluation = evaluate([VALID]);
    expect(failures(evaluation)).toEqual([]);
    expect(evaluation.counts.passed).toBeGreaterThan(100);
  });

  it('finds nothing to fault in a usage row priced in a virtual currency under the criteria a usage-billing gateway declares', () => {
    const criteria = new Set([
      'SUB_ACCOUNT_SUPPORTED',
      'ACCOUNT_NAMING_SUPPORTED',
      'USAGE_MEASUREMENT_SUPPORTED',
      'UNIT_PRICING_SUPPORTED',
      'PUBLIC_PRICE_LIST_SUPPORTED',
      'VIRTUAL_CURRENCY_SUPPORTED',
      'PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED',
    ]);
    const row: Row = {
      ...VALID,
      SubAccountId: 'sub-1',
      SubAccountName: 'Team A',
      ConsumedQuantity: '1000',
      ConsumedUnit: 'Requests',
      SkuMeter: 'API Requests',
      SkuPriceDetails: '{"x_tier":"1"}',
      ListUnitPrice: '0.0125',
      PricingCurrency: 'Buzz',
      PricingCurrencyListUnitPrice: '12.5',
      PricingCurrencyContractedUnitPrice: '12.5',
      PricingCurrencyEffectiveCost: '12500',
    };
    const evaluation = evaluate([row], { criteria });
    expect(failures(evaluation)).toEqual([]);
    // ContractedUnitPrice is not exported (no NEGOTIATED_PRICING_SUPPORTED): the product rule on it cannot run.
    expect(evaluation.rules.filter((r) => r.status === 'skipped-column-absent').map((r) => r.id)).toEqual([
      'CAU-ContractedCost-C-011-C',
    ]);
    const { PricingCurrency: _dropped, ...withoutPricingCurrency } = row;
    expect(
      result(evaluate([withoutPricingCurrency], { criteria }), ruleId('ColumnPresent', 'PricingCurrency')).status,
    ).toBe('failed');
  });

  it('fails the numeric-format rule for a BilledCost of 1e-3 while the decimal-type rule passes', () => {
    const evaluation = evaluate([{ ...VALID, BilledCost: '1e-3' }]);
    const format = result(evaluation, ruleId('FormatNumeric', 'BilledCost'));
    expect(format.status).toBe('failed');
    expect(format.examples).toEqual([{ row: 0, values: { BilledCost: '1e-3' } }]);
    expect(result(evaluation, ruleId('TypeDecimal', 'BilledCost')).status).toBe('passed');
    expect(result(evaluation, 'CAU-BilledCost-C-000-M').status).toBe('failed');
  });

  it('accepts E notation with a negative exponent and rejects a plus sign, an E+ exponent and a comma', () => {
    const id = ruleId('FormatNumeric', 'BilledCost');
    expect(result(evaluate([{ ...VALID, BilledCost: '35.2E-7' }]), id).status).toBe('passed');
    expect(result(evaluate([{ ...VALID, BilledCost: '-3' }]), id).status).toBe('passed');
    for (const bad of ['+333', '35.2E+7', '3,432', '$32']) {
      expect(result(evaluate([{ ...VALID, BilledCost: bad }]), id).status, bad).toBe('failed');
    }
  });

  it('fails ColumnPresent for a missing Mandatory column, fails its composite and skips its other rules as column-absent', () => {
    const { BilledCost: _dropped, ...withoutBilledCost } = VALID;
    const evaluation = evaluate([withoutBilledCost]);
    const presence = ruleId('ColumnPresent', 'BilledCost');
    expect(result(evaluation, presence)).toMatchObject({
      status: 'failed',
      reason: 'column BilledCost is not in the dataset',
    });
    expect(result(evaluation, 'CAU-BilledCost-C-000-M').status).toBe('failed');
    expect(result(evaluation, ruleId('TypeDecimal', 'BilledCost')).status).toBe('skipped-column-absent');
    expect(result(evaluation, 'CAU-CostAndUsage-D-000-M').status).toBe('failed');
  });

  it('skips a rule whose applicability criteria are not declared, with the rules only it reaches, and evaluates them once declared', () => {
    const presence = ruleId('ColumnPresent', 'SubAccountId');
    const type = ruleId('TypeString', 'SubAccountId');
    const without = evaluate([VALID]);
    expect(result(without, presence)).toMatchObject({
      status: 'skipped-criteria',
      reason: 'needs SUB_ACCOUNT_SUPPORTED, not declared',
    });
    expect(result(without, type).status).toBe('skipped-criteria');

    const declared = evaluate([VALID], { criteria: new Set(['SUB_ACCOUNT_SUPPORTED']) });
    expect(result(declared, presence).status).toBe('failed');
    expect(result(declared, type).status).toBe('skipped-column-absent');
    const withColumn = evaluate([{ ...VALID, SubAccountId: 'sub-1', SubAccountName: 'Team A' }], {
      criteria: new Set(['SUB_ACCOUNT_SUPPORTED']),
    });
    expect(result(withColumn, presence).status).toBe('passed');
    expect(result(withColumn, type).status).toBe('passed');
  });

  it('reads two criteria of one rule as either (focus_validator) by default and as both with criteriaMatch all', () => {
    const presence = 'CAU-CostAndUsage-D-055-C';
    expect(model.ModelRules[presence]!.ApplicabilityCriteria).toEqual([
      'PUBLIC_PRICE_LIST_SUPPORTED',
      'VIRTUAL_CURRENCY_SUPPORTED',
    ]);
    const criteria = new Set(['PUBLIC_PRICE_LIST_SUPPORTED']);
    expect(result(evaluate([VALID], { criteria }), presence).status).toBe('failed');
    expect(result(evaluate([VALID], { criteria, criteriaMatch: 'all' }), presence)).toMatchObject({
      status: 'skipped-criteria',
      reason: 'needs PUBLIC_PRICE_LIST_SUPPORTED and VIRTUAL_CURRENCY_SUPPORTED, not declared',
    });
  });

  it('reports a Dynamic rule as skipped-dynamic and a removed one as skipped-removed', () => {
    const evaluation = evaluate([VALID]);
    expect(result(evaluation, 'CAU-BilledCost-C-006-M')).toMatchObject({ type: 'Dynamic', status: 'skipped-dynamic' });
    expect(result(evaluation, 'CAU-PricingQuantity-C-008-M').status).toBe('skipped-removed');
  });

  it('reads an empty string as null, so an empty BilledCost fails the not-null rule', () => {
    const notNull = ruleId('CheckNotValue', 'BilledCost', { Value: null });
    expect(result(evaluate([VALID]), notNull).status).toBe('passed');
    expect(result(evaluate([{ ...VALID, BilledCost: '' }]), notNull).status).toBe('failed');
  });

  it('applies a Condition only to the rows it selects: PricingQuantity must be null on a Tax row only', () => {
    const taxRule = 'CAU-PricingQuantity-C-004-C';
    expect(model.ModelRules[taxRule]!.ValidationCriteria.MustSatisfy).toBe(
      'PricingQuantity MUST be null when ChargeCategory is "Tax".',
    );
    expect(result(evaluate([VALID]), taxRule).status).toBe('passed');
    const tax = { ...VALID, ChargeCategory: 'Tax' };
    expect(result(evaluate([VALID, tax]), taxRule)).toMatchObject({
      status: 'failed',
      reason: '1 of 1 rows violate it',
      examples: [{ row: 1, values: { PricingQuantity: '1000' } }],
    });
  });

  it('reads a column a condition needs but the dataset lacks as null, and says so', () => {
    const { SkuPriceId: _dropped, ...withoutSkuPriceId } = VALID;
    const rule = result(evaluate([withoutSkuPriceId]), 'CAU-PricingQuantity-C-011-C');
    expect(rule.status).toBe('failed');
    expect(rule.reason).toContain('the condition reads SkuPriceId, absent, as null');
  });

  it('fails a ChargeCategory outside the allowed values', () => {
    const evaluation = evaluate([{ ...VALID, ChargeCategory: 'Refund' }]);
    expect(result(evaluation, 'CAU-ChargeCategory-C-000-M').status).toBe('failed');
    expect(result(evaluate([{ ...VALID, ChargeCategory: 'Credit' }]), 'CAU-ChargeCategory-C-000-M').status).toBe(
      'passed',
    );
  });

  it('fails a date/time that is not YYYY-MM-DDTHH:mm:ssZ or not a real instant', () => {
    const id = ruleId('FormatDateTime', 'ChargePeriodStart');
    for (const bad of [
      '2026-11-05T00:00:00+01:00',
      '2026-11-05 00:00:00',
      '2026-11-05T00:00:00.000Z',
      '2026-02-30T00:00:00Z',
    ]) {
      expect(result(evaluate([{ ...VALID, ChargePeriodStart: bad }]), id).status, bad).toBe('failed');
    }
  });

  it('takes an ISO 4217 code as BillingCurrency, a virtual currency only as CurrencyFormat and only when declared', () => {
    const format = ruleId('FormatCurrency', 'BillingCurrency');
    const national = ruleId('CheckNationalCurrency', 'BillingCurrency');
    const credits = [{ ...VALID, BillingCurrency: 'Credits' }];
    expect(result(evaluate([{ ...VALID, BillingCurrency: 'usd' }]), format).status).toBe('failed');
    expect(result(evaluate(credits), format).status).toBe('failed');
    const virtual = evaluate(credits, { criteria: new Set(['VIRTUAL_CURRENCY_SUPPORTED']) });
    expect(result(virtual, format).status).toBe('passed');
    expect(result(virtual, national).status).toBe('failed');
  });

  it('fails a Tags value that is not a flat key-value JSON object', () => {
    const criteria = new Set(['TAGGING_SUPPORTED']);
    const id = ruleId('FormatKeyValue', 'Tags');
    expect(result(evaluate([{ ...VALID, Tags: '{"team":"a","cost":3,"ok":true}' }], { criteria }), id).status).toBe(
      'passed',
    );
    for (const bad of ['{"team":{"name":"a"}}', '{"list":[1]}', '[1,2]', '{"a":1,"a":2}', 'team=a']) {
      expect(result(evaluate([{ ...VALID, Tags: bad }], { criteria }), id).status, bad).toBe('failed');
    }
  });

  it('fails a ServiceName that maps to two ServiceCategory values', () => {
    const id = 'CAU-ServiceName-C-005-C';
    expect(model.ModelRules[id]!.ValidationCriteria.Requirement.CheckFunction).toBe('CheckDistinctCount');
    expect(result(evaluate([VALID, VALID]), id).status).toBe('passed');
    const evaluation = evaluate([VALID, { ...VALID, ServiceCategory: 'Storage' }]);
    expect(result(evaluation, id)).toMatchObject({
      status: 'failed',
      examples: [{ ServiceName: 'Acme API', ServiceCategory: ['Compute', 'Storage'] }],
    });
  });

  it('reports an override instead of the failure it replaces, and the composite above it passes', () => {
    const id = ruleId('FormatNumeric', 'BilledCost');
    const evaluation = evaluate([{ ...VALID, BilledCost: '1e-3' }], { overrides: { [id]: 'upstream bug #1' } });
    expect(result(evaluation, id)).toMatchObject({ status: 'overridden', reason: 'upstream bug #1' });
    expect(result(evaluation, 'CAU-BilledCost-C-000-M').status).toBe('passed');
  });

  it('reports a rule the model writes malformed as not-evaluable with the reason, never as passed', () => {
    const criteria = new Set(Object.keys(model.ApplicabilityCriteria));
    const rule = result(evaluate([VALID], { criteria }), 'CAU-ResourceId-C-006-C');
    expect(rule.status).toBe('not-evaluable');
    expect(rule.reason).toContain('CheckNotValue without ColumnName');
  });

  it('refuses criteria the model does not name and overrides of rules it does not have', () => {
    expect(() => evaluate([VALID], { criteria: new Set(['SUB_ACCOUNTS']) })).toThrow(
      /criteria not in the model: SUB_ACCOUNTS/,
    );
    expect(() => evaluate([VALID], { overrides: { 'CAU-Nope-C-000-M': 'x' } })).toThrow(/CAU-Nope-C-000-M/);
  });

  it('counts an empty dataset without columns: every Mandatory presence rule fails', () => {
    const { counts } = evaluate([], {}, []);
    expect(counts.total).toBe(779);
    expect(counts.static + counts.dynamic).toBe(counts.total);
    expect(counts.passed).toBe(0);
    expect(counts['not-evaluable']).toBe(0);
    const sum = Object.entries(counts)
      .filter(([k]) => !['total', 'static', 'dynamic'].includes(k))
      .reduce((s, [, n]) => s + n, 0);
    expect(sum).toBe(counts.total);
  });
});

/** A model of a few hand-made rules, to pin a semantic the 1.3 rules only show in passing. */
function tinyModel(
  rules: Record<
    string,
    Partial<FocusRule> & { Requirement: FocusCheck; Condition?: FocusCheck; Dependencies?: string[] }
  >,
): FocusModel {
  const ModelRules: Record<string, FocusRule> = {};
  for (const [id, r] of Object.entries(rules)) {
    const { Requirement, Condition = {}, Dependencies = [], ...rest } = r;
    ModelRules[id] = {
      Function: 'Validation',
      Reference: 'X',
      EntityType: 'Column',
      EntityId: 'X',
      Status: 'Active',
      ApplicabilityCriteria: [],
      DatasetId: 'CostAndUsage',
      Type: 'Static',
      ...rest,
      ValidationCriteria: { MustSatisfy: id, Keyword: 'MUST', Requirement, Condition, Dependencies },
    };
  }
  return {
    Details: { ModelVersion: 't', FOCUSVersion: 't' },
    ApplicabilityCriteria: { A: { Description: 'a' } },
    CheckFunctions: {},
    ModelDatasets: { CostAndUsage: { ModelRules: Object.keys(rules).slice(0, 1) } },
    ModelRules,
  };
}

describe('evaluateFocusRules on hand-made rules', () => {
  const options = { dataset: 'CostAndUsage', criteria: new Set<string>() } as const;

  it('holds an OR of row checks when each row meets one alternative, not when one alternative holds for all rows', () => {
    const m = tinyModel({
      'T-X-C-000-M': {
        Requirement: {
          CheckFunction: 'OR',
          Items: [
            { CheckFunction: 'CheckValue', ColumnName: 'X', Value: 'a' },
            { CheckFunction: 'CheckValue', ColumnName: 'X', Value: 'b' },
          ],
        },
      },
    });
    const run = (...xs: string[]) =>
      evaluateFocusRules(m, { columns: ['X'], rows: xs.map((X) => ({ X })) }, options).rules[0]!.status;
    expect(run('a', 'b')).toBe('passed');
    expect(run('a', 'c')).toBe('failed');
  });

  it('passes a composite whose referenced rule is skipped and fails it when the referenced rule fails', () => {
    const m = tinyModel({
      'T-X-C-000-M': {
        Function: 'Composite',
        Requirement: {
          CheckFunction: 'AND',
          Items: [
            { CheckFunction: 'CheckModelRule', ModelRuleId: 'T-X-C-001-M' },
            { CheckFunction: 'CheckModelRule', ModelRuleId: 'T-X-C-002-M' },
          ],
        },
        Dependencies: ['T-X-C-001-M', 'T-X-C-002-M'],
      },
      'T-X-C-001-M': { Requirement: { CheckFunction: 'FormatNumeric', ColumnName: 'X' } },
      'T-X-C-002-M': { Type: 'Dynamic', Requirement: {} },
    });
    const run = (X: string) =>
      evaluateFocusRules(m, { columns: ['X'], rows: [{ X }] }, options).rules.map((r) => r.status);
    expect(run('1.5')).toEqual(['passed', 'passed', 'skipped-dynamic']);
    expect(run('1,5')).toEqual(['failed', 'failed', 'skipped-dynamic']);
  });

  it('checks JSON paths per array element: a missing key and a wrong type fail', () => {
    const m = tinyModel({
      'T-X-C-000-M': {
        Requirement: {
          CheckFunction: 'AND',
          Items: [
            { CheckFunction: 'JSONCheckPathKeyExists', ColumnName: 'X', Path: '$.Elements[*].Ratio' },
            {
              CheckFunction: 'JSONCheckPathType',
              ColumnName: 'X',
              Path: '$.Elements[*].Ratio',
              ExpectedType: 'Decimal',
            },
          ],
        },
      },
    });
    const run = (X: string) => evaluateFocusRules(m, { columns: ['X'], rows: [{ X }] }, options).rules[0]!.status;
    expect(run('{"Elements":[{"Ratio":0.5},{"Ratio":0.5}]}')).toBe('passed');
    expect(run('{"Elements":[{"Ratio":0.5},{"Other":1}]}')).toBe('failed');
    expect(run('{"Elements":[{"Ratio":"half"}]}')).toBe('failed');
  });

  it('reports a check function it does not know as not-evaluable', () => {
    const m = tinyModel({ 'T-X-C-000-M': { Requirement: { CheckFunction: 'CheckSomethingNew', ColumnName: 'X' } } });
    const [rule] = evaluateFocusRules(m, { columns: ['X'], rows: [{ X: '1' }] }, options).rules;
    expect(rule).toMatchObject({
      status: 'not-evaluable',
      reason: 'check function CheckSomethingNew is not row-level or not implemented',
    });
  });
});
