import { describe, expect, it } from 'vitest';
import { createHostAllowList, hostNameOf, LOOPBACK_HOST_NAMES } from '../../../src/security/hostAllowList.js';

describe('hostNameOf', () => {
  it('drops the port and lower-cases the name', () => {
    expect(hostNameOf('Billing.Example.COM:8443')).toBe('billing.example.com');
    expect(hostNameOf('localhost')).toBe('localhost');
  });

  it('keeps an IPv6 address in its brackets, without the port', () => {
    expect(hostNameOf('[::1]:4000')).toBe('[::1]');
    expect(hostNameOf('[::1]')).toBe('[::1]');
  });

  it('ignores surrounding whitespace', () => {
    expect(hostNameOf('  127.0.0.1:4000 ')).toBe('127.0.0.1');
  });
});

describe('createHostAllowList', () => {
  it('answers the loopback names, with any port, when bound to loopback without a list', () => {
    const allowed = createHostAllowList(undefined, '127.0.0.1');
    expect(LOOPBACK_HOST_NAMES).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowed('localhost:4000')).toBe(true);
    expect(allowed('127.0.0.1:4000')).toBe(true);
    expect(allowed('[::1]:4000')).toBe(true);
    expect(allowed('LOCALHOST')).toBe(true);
  });

  it('refuses a Host that is not on the allow-list, such as a rebound attacker domain', () => {
    const allowed = createHostAllowList(undefined, 'localhost');
    expect(allowed('attacker.example:4000')).toBe(false);
    expect(allowed('127.0.0.2:4000')).toBe(false);
    expect(allowed('localhost.attacker.example')).toBe(false);
  });

  it('refuses a request without a Host header when it checks', () => {
    expect(createHostAllowList(undefined, '::1')(undefined)).toBe(false);
    expect(createHostAllowList(['billing.example.com'], '0.0.0.0')(undefined)).toBe(false);
  });

  it('answers only the configured names when there are some, even on loopback', () => {
    const allowed = createHostAllowList(['Billing.Example.com:443'], '127.0.0.1');
    expect(allowed('billing.example.com')).toBe(true);
    expect(allowed('billing.example.com:8080')).toBe(true);
    expect(allowed('localhost:4000')).toBe(false);
  });

  it('answers any Host, even none, when bound elsewhere without a list', () => {
    const allowed = createHostAllowList(undefined, '0.0.0.0');
    expect(allowed('anything.example')).toBe(true);
    expect(allowed(undefined)).toBe(true);
  });

  it('refuses every Host when the configured list is empty', () => {
    expect(createHostAllowList([], '0.0.0.0')('billing.example.com')).toBe(false);
  });
});
