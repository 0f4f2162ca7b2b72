import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/harness.js';

// The g8 simulator: 4 accounts, 12 cloudspaces, 80 machines.
const TREE = `{ sources { id } accounts { edges { node { id cloudspaces { id machines { id } } } } } }`;

describe('the object ceiling (limits.maxObjectsPerRequest)', () => {
  let low: Harness;
  let normal: Harness;
  beforeAll(async () => {
    [low, normal] = await Promise.all([startHarness({ limits: { maxObjectsPerRequest: 20 } }), startHarness()]);
  });
  afterAll(async () => Promise.all([low?.close(), normal?.close()]));

  it('answers the whole tree under the default ceiling', async () => {
    const res = await normal.query(TREE);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.edges.flatMap((e) => e.node.cloudspaces.flatMap((c) => c.machines))).toHaveLength(
      80,
    );
  });

  it('keeps what resolved before the ceiling, nulls the lists after it, and reports it once as a request error', async () => {
    const res = await low.query(TREE);
    expect(res.status).toBe(200);
    // 1 source + 4 edges + 12 cloudspaces = 17 objects: all of them are answered.
    expect(res.body.data!.sources).toEqual([{ id: 'g8' }]);
    const accounts = res.body.data!.accounts.edges.map((e) => e.node);
    expect(accounts).toHaveLength(4);
    expect(accounts.flatMap((a) => a.cloudspaces)).toHaveLength(12);
    // The machines lists push past 20: at most 3 more objects fit, the rest are null.
    const machines = accounts.flatMap((a) => a.cloudspaces.map((c) => c.machines));
    expect(machines.filter((m: unknown) => m !== null).flat().length).toBeLessThanOrEqual(3);
    expect(machines.filter((m: unknown) => m === null).length).toBeGreaterThan(1);
    // One error for the whole request, however many lists it cut, at the first field it stopped.
    expect(res.body.errors).toEqual([
      {
        message:
          'The answer grew past 20 objects, the limit per request (limits.maxObjectsPerRequest); the data already resolved is kept. Ask for fewer or smaller lists, or split the query.',
        path: expect.any(Array),
        extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
      },
    ]);
    const [account, cloudspace] = [res.body.errors![0]!.path![2], res.body.errors![0]!.path![5]] as number[];
    expect(res.body.errors![0]!.path).toEqual([
      'accounts',
      'edges',
      account,
      'node',
      'cloudspaces',
      cloudspace,
      'machines',
    ]);
    expect(accounts[account!]!.cloudspaces[cloudspace!]!.machines).toBeNull();
  });
});
