import { readFileSync } from 'node:fs';
import {
  introspectionFromSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { staleGenerated } from '../../scripts/codegen.js';
import { createGatewaySchema } from '../../src/gatewaySchema.js';
import { REGISTERED_PROVIDERS } from '../../src/providers/registry.js';

describe('schema', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = createGatewaySchema();
  });

  it('has no subscription root even though a type is named Subscription', () => {
    expect(schema.getSubscriptionType() ?? null).toBeNull();
    expect(introspectionFromSchema(schema).__schema.subscriptionType).toBeNull();
    // Codegen and other consumers read the checked-in introspection: same roots there.
    const checkedIn = JSON.parse(
      readFileSync(new URL('../../generated/introspection.json', import.meta.url), 'utf8'),
    ) as { __schema: { subscriptionType: unknown } };
    expect(checkedIn.__schema.subscriptionType).toBeNull();
    expect(readFileSync(new URL('../../generated/schema.graphql', import.meta.url), 'utf8')).toMatch(
      /^schema \{\n {2}query: Query\n {2}mutation: Mutation\n\}/,
    );
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(isObjectType(schema.getType('Subscription'))).toBe(true);
  });

  it('keeps the fixed names of docs/schema-contract.md', () => {
    const fields = (type: string) =>
      Object.keys((schema.getType(type) as GraphQLObjectType | GraphQLInputObjectType).getFields()).sort();
    expect(fields('Query')).toEqual(
      expect.arrayContaining(['node', 'sources', 'accounts', 'account', 'subscription', 'resource', 'usageReport']),
    );
    expect(fields('Mutation')).toEqual(expect.arrayContaining(['recordUsage', 'updateBillingThreshold']));
    expect(fields('Account')).toEqual(
      expect.arrayContaining([
        'id',
        'provider',
        'source',
        'providerId',
        'name',
        'cloudspaces',
        'subscriptions',
        'resources',
        'consumption',
        'cost',
        'billingThresholds',
      ]),
    );
    expect(fields('ConsumptionPoint')).toEqual([
      'account',
      'cost',
      'end',
      'isFinal',
      'listCost',
      'metric',
      'provider',
      'quantity',
      'resource',
      'start',
      'unit',
    ]);
    expect(fields('Money')).toEqual(['amount', 'currency']);
    expect(fields('TimeWindow')).toEqual(['end', 'start', 'timeZone']);
    const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    // Every registered provider, in registry order (the enum is generated from the registry).
    expect(enumValues('Provider')).toEqual(REGISTERED_PROVIDERS);
    expect(enumValues('Granularity')).toEqual(['HOUR', 'DAY', 'WEEK', 'MONTH', 'TOTAL']);
    expect((schema.getType('TimeWindow') as GraphQLInputObjectType).getFields().timeZone.defaultValue).toBe('UTC');
    expect(
      schema.getType('Machine') &&
        (schema.getType('Machine') as GraphQLObjectType)
          .getInterfaces()
          .map((i) => i.name)
          .sort(),
    ).toEqual(['Node', 'Resource']);
  });

  it('documents every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
      if (!type.description?.trim()) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args)
            if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type))
        for (const field of Object.values(type.getFields()))
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      if (isEnumType(type))
        for (const value of type.getValues())
          if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('checked-in generated files are current (npm run codegen)', async () => {
    expect(await staleGenerated()).toEqual([]);
  }, 60_000);
});
