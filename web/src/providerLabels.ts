// Generated from the provider registry (npm run codegen); that module imports nothing.
export { PROVIDER_LABELS } from '../../src/generated/providers.js';
