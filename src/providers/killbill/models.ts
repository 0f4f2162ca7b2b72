import type { FromSource } from '../../models.js';

/** The models Kill Bill's resolvers receive (codegen mappers, listed in ./schema.ts). */
export interface SubscriptionModel extends FromSource {
  readonly __typename: 'Subscription';
  readonly id: string;
  readonly providerId: string;
  readonly accountProviderId: string;
  readonly productName: string | null;
  readonly planName: string | null;
  readonly state: string | null;
  readonly bundleProviderId: string | null;
  readonly externalKey: string | null;
  readonly productCategory: string | null;
  readonly billingPeriod: string | null;
  readonly phaseType: string | null;
  readonly priceList: string | null;
  /** RFC 3339 instant. */
  readonly startDate: string | null;
  /** RFC 3339 instant; when usage may no longer be recorded (Kill Bill's billingEndDate). */
  readonly billingEndDate: string | null;
  /** YYYY-MM-DD. */
  readonly chargedThroughDate: string | null;
}

export interface RecordUsagePayloadModel {
  readonly subscription: SubscriptionModel;
  readonly trackingId: string;
  readonly alreadyRecorded: boolean;
}
