/**
 * Every kind of billable resource Hyperstack's billing API reports. It lives with the provider
 * because the client, loaders and mapping are typed by it; the simulator's seed imports it
 * from here, never the other way round.
 */
export type HsKind =
  | 'VIRTUAL_MACHINE'
  | 'VOLUME'
  | 'SNAPSHOT'
  | 'BUCKET'
  | 'CLUSTER'
  | 'FINE_TUNING'
  | 'MODEL_EVALUATION'
  | 'SERVERLESS_INFERENCE'
  | 'DATA_SYNTHESIS'
  | 'CONTRACT';
