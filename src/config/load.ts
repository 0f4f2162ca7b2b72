/**
 * Loading the config file: reading it, replacing "${NAME}" by environment variables, validating
 * it against the schema (./schema.ts) and each provider's own rules, and ConfigError, which
 * reports every problem at once.
 */
import { readFileSync } from 'node:fs';
import type { Provider } from '../generated/providers.js';
import { configSchema, type Config } from './schema.js';

/** A start-up problem with the config file: one line per problem, no stack. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly origin: string,
  ) {
    super(`Invalid configuration (${origin}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Replaces ${NAME} in every string with process.env.NAME; reports each missing variable by path. */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        problems.push(`${formatPath(path)}: environment variable "${name}" is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, problems, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, problems, [...path, k])]),
    );
  }
  return value;
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? '(root)'
    : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

export type CredentialsValidator = (
  credentials: Record<string, string>,
  options: Record<string, unknown>,
) => { path: (string | number)[]; message: string }[];

/**
 * Validates a parsed config object: shape, then each source's credentials with its provider's
 * own rules (passed in so config.ts never imports a provider).
 */
export function parseConfig(
  raw: unknown,
  origin: string,
  env: NodeJS.ProcessEnv,
  credentialRules: Partial<Record<Provider, CredentialsValidator>> = {},
): Config {
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw, env, problems);
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${formatPath(issue.path)}: ${issue.message}`);
  }
  // Checks across fields run on whatever parsed, so one run reports every problem in the file.
  problems.push(...sourceProblems(interpolated, credentialRules, problems));
  if (result.success) problems.push(...exposureProblems(result.data));
  if (problems.length > 0 || !result.success) throw new ConfigError([...new Set(problems)], origin);
  return result.data;
}

/** Names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Tenants name real sources, once each; a gateway without tenants stays on loopback. */
function exposureProblems(config: Config): string[] {
  const out: string[] = [];
  const ids = new Set(config.sources.map((s) => s.id));
  const names = new Set<string>();
  const keys = new Set<string>();
  config.tenants?.forEach((tenant, i) => {
    if (names.has(tenant.name))
      out.push(`${formatPath(['tenants', i, 'name'])}: duplicates the tenant name "${tenant.name}"`);
    if (keys.has(tenant.keySha256))
      out.push(`${formatPath(['tenants', i, 'keySha256'])}: the same key is given to another tenant`);
    names.add(tenant.name);
    keys.add(tenant.keySha256);
    if (config.metrics.operatorKeySha256.includes(tenant.keySha256))
      out.push(
        `${formatPath(['tenants', i, 'keySha256'])}: is also a metrics operator key; a tenant must not read other tenants' metrics`,
      );
    tenant.sources.forEach((id, j) => {
      if (!ids.has(id))
        out.push(
          `${formatPath(['tenants', i, 'sources', j])}: must be a configured source id (${[...ids].map((x) => `"${x}"`).join(', ')}), got "${id}"`,
        );
    });
  });
  if (!config.tenants && !isLoopbackHost(config.host)) {
    out.push(
      `host: "${config.host}" is reachable from other machines, and without "tenants" anyone there could read every source and run mutations; add "tenants" (API keys) or bind "127.0.0.1"`,
    );
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Duplicate ids and each provider's credential rules, on the raw (interpolated) sources. */
function sourceProblems(
  config: unknown,
  credentialRules: Partial<Record<Provider, CredentialsValidator>>,
  earlier: readonly string[],
): string[] {
  const sources = isRecord(config) && Array.isArray(config.sources) ? config.sources : [];
  const out: string[] = [];
  const seen = new Set<unknown>();
  sources.forEach((source: unknown, index) => {
    if (!isRecord(source)) return;
    if (typeof source.id === 'string') {
      if (seen.has(source.id))
        out.push(`${formatPath(['sources', index, 'id'])}: duplicates the source id "${source.id}"`);
      seen.add(source.id);
    }
    const rule = typeof source.provider === 'string' ? credentialRules[source.provider as Provider] : undefined;
    const { credentials } = source;
    if (!rule || !isRecord(credentials) || !Object.values(credentials).every((v) => typeof v === 'string')) return;
    // A missing ${VAR} in these credentials is already reported; an emptied value would only repeat it.
    if (earlier.some((p) => p.startsWith(`${formatPath(['sources', index, 'credentials'])}.`))) return;
    for (const p of rule(credentials as Record<string, string>, isRecord(source.options) ? source.options : {})) {
      out.push(`${formatPath(['sources', index, ...p.path])}: ${p.message}`);
    }
  });
  return out;
}

export function readConfigFile(
  path: string,
  env: NodeJS.ProcessEnv,
  credentialRules?: Partial<Record<Provider, CredentialsValidator>>,
): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? 'unknown error'})`],
      path,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`not valid JSON: ${(error as Error).message}`], path);
  }
  return parseConfig(raw, path, env, credentialRules);
}
