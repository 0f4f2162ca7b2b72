import { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../../../src/gatewaySchema.js';
import { readCostTable } from '../../../../src/schema/limits/costTable.js';

describe('readCostTable', () => {
  const schema = createGatewaySchema();
  const table = readCostTable(schema);

  it('reads @cost, @listSize, @perSource and @perBucket from the SDL', () => {
    expect(table.get('Query')!.get('accounts')).toMatchObject({
      weight: 10,
      assumedSize: 10,
      slicingArguments: ['first'],
      sizedFields: ['edges'],
      perSource: true,
      perBucket: false,
      isList: false,
    });
    expect(table.get('Query')!.get('usageReport')).toMatchObject({
      weight: 100,
      perSource: true,
      perBucket: true,
      windowArguments: ['window'],
      granularityArgument: 'granularity',
    });
    expect(table.get('Machine')!.get('consumption')).toMatchObject({
      weight: 10,
      assumedSize: 5,
      isList: true,
      perBucket: true,
      objectWeight: 1,
    });
    expect(table.get('HyperstackVolume')!.get('consumption')).toMatchObject({ assumedSize: 1, perBucket: false });
    expect(table.get('Resource')!.get('cost')).toMatchObject({
      weight: 10,
      assumedSize: 2,
      windowArguments: ['window'],
      granularityArgument: undefined,
    });
    expect(table.get('Source')!.get('id')).toMatchObject({ weight: 0, objectWeight: 0, readsArguments: false });
  });

  it('sizes every list field and prices every windowed field, so the estimate never falls back silently', () => {
    const unsized: string[] = [];
    const unpriced: string[] = [];
    const sizedByParent = new Set(['AccountConnection.edges', 'UsageReportGroupConnection.edges']);
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const entry = table.get(type.name)!.get(field.name)!;
        const isObjectList =
          isListType(getNullableType(field.type)) &&
          !['Provider', 'ResourceType', 'String'].includes(getNamedType(field.type).name);
        if (isObjectList && entry.assumedSize === undefined && !sizedByParent.has(`${type.name}.${field.name}`))
          unsized.push(`${type.name}.${field.name}`);
        if (entry.windowArguments.length > 0 && entry.weight === 0) unpriced.push(`${type.name}.${field.name}`);
      }
    }
    expect(unsized).toEqual([]);
    expect(unpriced).toEqual([]);
  });
});
