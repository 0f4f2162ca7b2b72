import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { answerBytes, itemWidth } from '../../../../src/schema/limits/answerBytes.js';

const schema = buildSchema(`
  type Query { items: [Item] }
  type Item { a: Int b: Int child: Child list: [Item] }
  type Child { c: Int d: Int e: Child }
`);

/** The resolve info graphql-js hands the `items` field for `query`. */
async function infoOf(query: string): Promise<GraphQLResolveInfo> {
  let captured: GraphQLResolveInfo | undefined;
  const result = await graphql({
    schema,
    source: query,
    fieldResolver: (_source, _args, _ctx, info) => {
      if (info.fieldName === 'items') captured = info;
      return null;
    },
  });
  expect(result.errors).toBeUndefined();
  return captured!;
}

describe('answerBytes', () => {
  it("counts an item's leaves once per response key, its single objects' leaves included, its lists' not", async () => {
    const info = await infoOf('{ items { a b a x: a child { c d e { c } } list { a b } } }');
    // a, b, x, and child's c, d and e.c: six values an item.
    expect(itemWidth(info)).toBe(6);
    expect(answerBytes(info, 1000)).toBe(1000 * (16 + 40 * 6));
  });

  it('collects fragments as graphql-js executes them: a spread once, a merged key once', async () => {
    const info = await infoOf(
      '{ items { ...F ...F ... on Item { a b } child { c } } } fragment F on Item { a child { c d } }',
    );
    // a, b and child (its first selection { c d }; graphql-js merges the second into it).
    expect(itemWidth(info)).toBe(4);
  });

  it('measures a ladder of fragments in time linear in the document, though the answer doubles at each rung', async () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Child { e { ...F${i + 1} } x: e { ...F${i + 1} } }`,
    ).join(' ');
    const info = await infoOf(`{ items { child { ...F0 } } } ${fragments} fragment F${levels} on Child { d }`);
    // 2^30 values an item, counted from 61 selection sets (walking them would take minutes).
    expect(itemWidth(info)).toBe(2 ** levels);
  });
});
