import type { SourceApi } from '../../../src/providers/types.js';
import { emptyApi } from './context.js';

/** What a fake provider API was asked: method name and arguments, in order. */
export type Calls = [string, ...unknown[]][];

/**
 * An object that passes a provider's `xxxApiOf` check (an instance of its API class, built
 * without its constructor, so no loaders and no client) whose methods are the given ones over an
 * API that answers nothing; every call of a given method is recorded in `calls`.
 */
export function apiAs(
  cls: { prototype: object },
  methods: Record<string, (...args: never[]) => unknown> = {},
): { api: SourceApi; calls: Calls } {
  const calls: Calls = [];
  const recorded = Object.fromEntries(
    Object.entries(methods).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
  const api = Object.assign(Object.create(cls.prototype) as SourceApi, emptyApi(), recorded);
  return { api, calls };
}
