import { BadUserInputError } from './gatewayError.js';

/**
 * The kind of object an id names: the core's `Account` and `Resource`, or the GraphQL type name
 * a provider mints ids for (e.g. `Cloudspace`, `Subscription`). Any type-name-shaped string; the
 * source that minted the id decides whether it still names an object, so a provider adds kinds
 * without touching this file.
 */
export type IdKind = string;

export interface DecodedId {
  kind: IdKind;
  sourceId: string;
  /** Upstream identifiers, outermost first (e.g. account, cloudspace, machine). */
  parts: string[];
}

/** What a kind must look like: a GraphQL type name, bounded. */
const KIND = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Ids are base64url("Kind:source:part:…") with each segment URI-encoded: opaque to clients,
 * stable across requests, and carrying enough upstream keys to load the object in one call.
 */
export function encodeId(kind: IdKind, sourceId: string, ...parts: string[]): string {
  const raw = [kind, sourceId, ...parts].map(encodeURIComponent).join(':');
  return Buffer.from(raw, 'utf8').toString('base64url');
}

export function decodeId(id: string, argument = 'id'): DecodedId {
  const fail = (): never => {
    throw new BadUserInputError(
      `Argument "${argument}" must be an id returned by this API, got "${truncate(id)}".`,
      argument,
    );
  };
  if (!/^[A-Za-z0-9_-]+$/.test(id) || id.length > 1024) fail();
  const segments = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (segments.length < 3) fail();
  let decoded: string[] = [];
  try {
    decoded = segments.map(decodeURIComponent);
  } catch {
    fail();
  }
  const [kind, sourceId, ...parts] = decoded as [string, string, ...string[]];
  if (!KIND.test(kind) || !sourceId || parts.some((p) => p === '')) fail();
  return { kind: kind as IdKind, sourceId, parts };
}

/**
 * Decodes and checks the kind, so `account(id:)` given a Machine id says so.
 * @param described how the message names what was expected (default: the kinds themselves).
 */
export function decodeIdOf(
  id: string,
  expected: readonly IdKind[],
  argument = 'id',
  described: string = expected.map(article).join(' or '),
): DecodedId {
  const decoded = decodeId(id, argument);
  if (!expected.includes(decoded.kind)) {
    throw new BadUserInputError(
      `Argument "${argument}" must be ${described} id, got ${article(decoded.kind)} id.`,
      argument,
    );
  }
  return decoded;
}

export const article = (kind: string): string => (/^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`);
export const truncate = (s: string, max = 80): string => (s.length > max ? `${s.slice(0, max)}…` : s);
