/**
 * The config file: its schema (src/config/schema.ts: zod types, bounds, defaults and descriptions)
 * and its loading (src/config/load.ts: file, environment, validation, ConfigError), re-exported
 * here for the modules that use both.
 */
export * from './config/schema.js';
export * from './config/load.js';
