import { Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { perFragment } from '../../../../src/schema/limits/perFragment.js';

/** Fields in a document, counting each named fragment through `fieldsOf`, with a log of what was measured. */
function fieldCounter(query: string) {
  const document = parse(query, { noLocation: true });
  const measured: string[] = [];
  const count = (set: SelectionSetNode): number =>
    set.selections.reduce((n, s) => {
      if (s.kind === Kind.FIELD) return n + 1 + (s.selectionSet ? count(s.selectionSet) : 0);
      if (s.kind === Kind.FRAGMENT_SPREAD) return n + fieldsOf(s.name.value);
      return n + count(s.selectionSet);
    }, 0);
  const fieldsOf = perFragment(
    document,
    (fragment: FragmentDefinitionNode) => {
      measured.push(fragment.name.value);
      return count(fragment.selectionSet);
    },
    -1000,
  );
  return { fieldsOf, measured };
}

describe('perFragment', () => {
  it('measures a named fragment', () => {
    const { fieldsOf } = fieldCounter('fragment A on Account { id name source { id } }');
    expect(fieldsOf('A')).toBe(4);
  });

  it('measures each fragment once however often it is spread', () => {
    const { fieldsOf, measured } = fieldCounter(`
      fragment F0 on Account { id }
      fragment F1 on Account { ...F0 ...F0 ...F0 }
      fragment F2 on Account { ...F1 ...F1 ...F1 }
      fragment F3 on Account { ...F2 ...F2 ...F2 }
    `);
    expect(fieldsOf('F3')).toBe(27);
    expect(fieldsOf('F3')).toBe(27);
    expect(measured).toEqual(['F3', 'F2', 'F1', 'F0']);
  });

  it('answers `none` for a fragment the document does not define', () => {
    const { fieldsOf, measured } = fieldCounter('fragment A on Account { id }');
    expect(fieldsOf('Missing')).toBe(-1000);
    expect(measured).toEqual([]);
  });

  it('answers `none` for a fragment spread inside its own measurement, so a cycle never loops', () => {
    const { fieldsOf, measured } = fieldCounter(`
      fragment A on Account { id ...B }
      fragment B on Account { name ...A }
    `);
    // B sees A still open: 1 + none; A is 1 + B.
    expect(fieldsOf('A')).toBe(1 + 1 - 1000);
    expect(measured).toEqual(['A', 'B']);
  });

  it('answers `none` for a fragment spreading itself', () => {
    const { fieldsOf } = fieldCounter('fragment Self on Account { id ...Self }');
    expect(fieldsOf('Self')).toBe(1 - 1000);
  });

  it('ignores operations: only fragment definitions are measured', () => {
    const { fieldsOf } = fieldCounter('query Q { accounts { totalCount } } fragment A on Account { id }');
    expect(fieldsOf('Q')).toBe(-1000);
    expect(fieldsOf('A')).toBe(1);
  });
});
