import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from '../../../src/schema/selectsField.js';

/** The resolve info of the first root field of `document`, as graphql-js hands it to a resolver. */
function infoOf(document: string) {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsField', () => {
  it('finds a field selected directly, under an alias too', () => {
    expect(selectsField(infoOf('{ usageReport { complete points { start } } }'), 'points')).toBe(true);
    expect(selectsField(infoOf('{ usageReport { p: points { start } } }'), 'points')).toBe(true);
  });

  it('finds a field inside inline fragments and named fragments, nested', () => {
    expect(selectsField(infoOf('{ usageReport { ... on UsageReport { points { start } } } }'), 'points')).toBe(true);
    const named =
      'query { usageReport { ...A } } fragment A on UsageReport { ...B } fragment B on UsageReport { points { start } }';
    expect(selectsField(infoOf(named), 'points')).toBe(true);
  });

  it('counts a field behind @skip as selected, erring on asking for more', () => {
    expect(selectsField(infoOf('{ usageReport { points @skip(if: true) { start } } }'), 'points')).toBe(true);
  });

  it('does not find a field only deeper down, or not selected at all', () => {
    expect(
      selectsField(infoOf('{ usageReport { groups { edges { node { points: totals { amount } } } } } }'), 'points'),
    ).toBe(false);
    expect(selectsField(infoOf('{ usageReport { complete totals { amount } } }'), 'points')).toBe(false);
  });

  it('stops at a fragment it already visited', () => {
    const twice = 'query { usageReport { ...A ...A } } fragment A on UsageReport { complete }';
    expect(selectsField(infoOf(twice), 'points')).toBe(false);
  });
});
