import { describe, expect, it } from 'vitest';
import { calculateAccountDto, machineDto } from '../../../../src/providers/openvcloud/dto.js';

describe("OpenvCloud's answer shapes", () => {
  it('reads ids given as numbers or digit strings as strings, and refuses other ids', () => {
    expect(machineDto.parse({ id: 7, cloudspaceid: '3' })).toMatchObject({ id: '7', cloudspaceid: '3' });
    expect(machineDto.safeParse({ id: 'vm-7', cloudspaceid: 3 }).success).toBe(false);
  });

  it("checks the calculate answer's nested cloudspaces and machines and keeps their consumption literals", () => {
    const parsed = calculateAccountDto.parse({
      account: {
        id: '1',
        consumption: { CU: '1.50' },
        cloudspaces: {
          '2': { id: 2, consumption: { CU: '1.50' }, machines: { '3': { id: 3, consumption: { CU: '1.50' } } } },
        },
      },
    });
    expect(parsed.account.cloudspaces['2']!.machines['3']!.consumption).toEqual({ CU: '1.50' });
    expect(
      calculateAccountDto.safeParse({ account: { id: '1', consumption: {}, cloudspaces: { '2': { id: 2 } } } }).success,
    ).toBe(false);
  });
});
