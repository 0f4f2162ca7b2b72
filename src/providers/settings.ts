import type { JsonSchema } from './types.js';

/** A credential or option that must be a non-empty string, with what it is for. */
export const nonEmptyString = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
