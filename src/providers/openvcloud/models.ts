import type { FromSource } from '../../models.js';

/** The models OpenvCloud's resolvers receive (codegen mappers, listed in ./schema.ts). */
export interface CloudspaceModel extends FromSource {
  readonly __typename: 'Cloudspace';
  readonly id: string;
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly location: string | null;
}

export interface MachineModel extends FromSource {
  readonly __typename: 'Machine';
  readonly id: string;
  readonly type: 'MACHINE';
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly cloudspaceProviderId: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly hostname: string | null;
  readonly memoryMb: number | null;
  readonly vcpus: number | null;
  readonly storageGb: number | null;
  readonly createdAt: string | null;
}
