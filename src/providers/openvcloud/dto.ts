/**
 * The shapes of OpenvCloud's cloudapi answers (docs/upstreams/openvcloud.md), as zod schemas the
 * client checks every 200 against, and the types of what they parse to.
 */
import { z } from 'zod';
import { numberLiteral } from '../jsonNumbers.js';

export const idLiteral = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String);

export const consumptionDto = z.record(z.string(), numberLiteral);
export const machineNodeDto = z.object({ id: idLiteral, name: z.string().nullish(), consumption: consumptionDto });
export const cloudspaceNodeDto = z.object({
  id: idLiteral,
  name: z.string().nullish(),
  machines: z.record(z.string(), machineNodeDto),
  consumption: consumptionDto,
});
export const calculateAccountDto = z.object({
  account: z.object({
    id: idLiteral,
    name: z.string().nullish(),
    cloudspaces: z.record(z.string(), cloudspaceNodeDto),
    consumption: consumptionDto,
  }),
});
export const accountDto = z.object({
  id: idLiteral,
  name: z.string().nullish(),
  creationTime: numberLiteral.nullish(),
  updateTime: numberLiteral.nullish(),
});
export const cloudspaceDto = z.object({
  id: idLiteral,
  accountId: idLiteral,
  name: z.string().nullish(),
  status: z.string().nullish(),
  location: z.string().nullish(),
});
export const machineDto = z.object({
  id: idLiteral,
  cloudspaceid: idLiteral,
  name: z.string().nullish(),
  hostname: z.string().nullish(),
  status: z.string().nullish(),
  memory: numberLiteral.nullish(),
  vcpus: numberLiteral.nullish(),
  storage: numberLiteral.nullish(),
  creationTime: numberLiteral.nullish(),
});

export type CalculateAccountDto = z.infer<typeof calculateAccountDto>['account'];
export type AccountDto = z.infer<typeof accountDto>;
export type CloudspaceDto = z.infer<typeof cloudspaceDto>;
export type MachineDto = z.infer<typeof machineDto>;
