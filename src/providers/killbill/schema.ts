import type { ProviderSchema } from '../types.js';
import { Account } from './resolvers/Account.js';
import { Mutation } from './resolvers/Mutation.js';
import { Query } from './resolvers/Query.js';
import { Subscription } from './resolvers/Subscription.js';

/** Kill Bill's part of the schema: subscriptions with their usage, and recordUsage. */
export const killbillSchema: ProviderSchema = {
  sdl: [new URL('./schema.graphql', import.meta.url)],
  resolvers: { Query, Mutation, Account, Subscription },
  models: new URL('./models.js', import.meta.url),
  mappers: { Subscription: 'SubscriptionModel', RecordUsagePayload: 'RecordUsagePayloadModel' },
};
