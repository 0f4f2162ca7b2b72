import type { ProviderSchema } from '../types.js';
import { Account } from './resolvers/Account.js';
import { Cloudspace } from './resolvers/Cloudspace.js';
import { Machine } from './resolvers/Machine.js';

/** OpenvCloud's part of the schema: cloudspaces and their machines (the MACHINE resource type). */
export const openvcloudSchema: ProviderSchema = {
  sdl: [new URL('./schema.graphql', import.meta.url)],
  resolvers: { Account, Cloudspace, Machine },
  models: new URL('./models.js', import.meta.url),
  mappers: { Cloudspace: 'CloudspaceModel', Machine: 'MachineModel' },
};
