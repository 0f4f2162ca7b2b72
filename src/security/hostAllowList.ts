import { isLoopbackHost } from '../config.js';

/** Host names a loopback-bound gateway answers to. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header: lower-case, port dropped, IPv6 kept in brackets. */
export function hostNameOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * Which Host headers are answered. A page on an attacker's domain can point that domain at
 * 127.0.0.1 (DNS rebinding) and then talk to a loopback gateway as "same origin"; checking the
 * Host header stops it. Configured names win; a loopback-bound gateway defaults to the loopback
 * names; a gateway bound elsewhere (which needs tenants, so every call needs a key) answers any.
 */
export function createHostAllowList(
  allowedHosts: readonly string[] | undefined,
  boundHost: string,
): (hostHeader: string | undefined) => boolean {
  const names = allowedHosts ?? (isLoopbackHost(boundHost) ? LOOPBACK_HOST_NAMES : null);
  if (!names) return () => true;
  const allowed = new Set(names.map((n) => hostNameOf(n)));
  return (hostHeader) => hostHeader !== undefined && allowed.has(hostNameOf(hostHeader));
}
