import { describe, expect, it, vi } from 'vitest';
import { createLifecycle, type LifecycleSteps } from '../../../src/gateway/lifecycle.js';

/** Steps whose start and stop settle only when the test says so. */
function controlledSteps() {
  const calls: string[] = [];
  let finishStart: ((url: string) => void) | undefined;
  let failStart: ((error: Error) => void) | undefined;
  let finishStop: (() => void) | undefined;
  const steps: LifecycleSteps = {
    start: vi.fn((port: number, host: string) => {
      calls.push(`start ${host}:${port}`);
      return new Promise<string>((resolve, reject) => {
        finishStart = resolve;
        failStart = reject;
      });
    }),
    stop: vi.fn(() => {
      calls.push('stop');
      return new Promise<void>((resolve) => {
        finishStop = resolve;
      });
    }),
  };
  return {
    steps,
    calls,
    finishStart: (url: string) => finishStart!(url),
    failStart: (error: Error) => failStart!(error),
    finishStop: () => finishStop!(),
  };
}

/** Steps that settle at once. */
const instantSteps = (): LifecycleSteps => ({
  start: vi.fn(async (port: number, host: string) => `http://${host}:${port}/graphql`),
  stop: vi.fn(async () => undefined),
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the gateway lifecycle', () => {
  it('starts in the created phase without running any step', () => {
    const steps = instantSteps();
    const lifecycle = createLifecycle(steps);
    expect(lifecycle.state()).toEqual({ phase: 'created' });
    expect(steps.start).not.toHaveBeenCalled();
    expect(steps.stop).not.toHaveBeenCalled();
  });

  it('is starting while listen runs, with the port and host it was given', () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    void lifecycle.listen(4000, '127.0.0.1');
    const state = lifecycle.state();
    expect(state.phase).toBe('starting');
    expect(state).toMatchObject({ port: 4000, host: '127.0.0.1' });
    expect(c.calls).toEqual(['start 127.0.0.1:4000']);
  });

  it('is listening at the URL the start resolved to', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const listening = lifecycle.listen(0, '127.0.0.1');
    c.finishStart('http://127.0.0.1:5555/graphql');
    await expect(listening).resolves.toBe('http://127.0.0.1:5555/graphql');
    expect(lifecycle.state()).toEqual({ phase: 'listening', url: 'http://127.0.0.1:5555/graphql' });
  });

  it('goes back to created when the start fails, so listen may be retried', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const first = lifecycle.listen(0, '0.0.0.0');
    c.failStart(new Error('Refusing to listen'));
    await expect(first).rejects.toThrow('Refusing to listen');
    expect(lifecycle.state()).toEqual({ phase: 'created' });
    const second = lifecycle.listen(0, '127.0.0.1');
    c.finishStart('http://127.0.0.1:1/graphql');
    await expect(second).resolves.toBe('http://127.0.0.1:1/graphql');
    expect(c.calls).toEqual(['start 0.0.0.0:0', 'start 127.0.0.1:0']);
  });

  it('turns a start that throws synchronously into a rejection and stays retryable', async () => {
    const lifecycle = createLifecycle({
      start: () => {
        throw new Error('boom');
      },
      stop: async () => undefined,
    });
    await expect(lifecycle.listen(0, '127.0.0.1')).rejects.toThrow('boom');
    expect(lifecycle.state().phase).toBe('created');
  });

  it('refuses a second listen while the first is starting, without starting again', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    void lifecycle.listen(4000, '127.0.0.1');
    await expect(lifecycle.listen(4001, '127.0.0.1')).rejects.toThrow(
      'This gateway is already starting on 127.0.0.1:4000',
    );
    expect(c.steps.start).toHaveBeenCalledTimes(1);
  });

  it('refuses a second listen once listening, naming where it listens', async () => {
    const steps = instantSteps();
    const lifecycle = createLifecycle(steps);
    await lifecycle.listen(4000, '127.0.0.1');
    await expect(lifecycle.listen(4000, '127.0.0.1')).rejects.toThrow(
      'This gateway is already listening at http://127.0.0.1:4000/graphql',
    );
    expect(steps.start).toHaveBeenCalledTimes(1);
    expect(lifecycle.state().phase).toBe('listening');
  });

  it('stops from listening: stopping while the stop runs, then stopped', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const listening = lifecycle.listen(0, '127.0.0.1');
    c.finishStart('http://127.0.0.1:1/graphql');
    await listening;
    const stopped = lifecycle.stop();
    await flush();
    expect(lifecycle.state().phase).toBe('stopping');
    c.finishStop();
    await stopped;
    expect(lifecycle.state()).toEqual({ phase: 'stopped' });
    expect(c.calls).toEqual(['start 127.0.0.1:0', 'stop']);
  });

  it('stops before listen: the stop step still runs (it closes the sources) and listen never does', async () => {
    const steps = instantSteps();
    const lifecycle = createLifecycle(steps);
    await lifecycle.stop();
    expect(steps.stop).toHaveBeenCalledTimes(1);
    expect(steps.start).not.toHaveBeenCalled();
    expect(lifecycle.state().phase).toBe('stopped');
  });

  it('gives a second stop during stopping the same promise and runs the stop step once', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const first = lifecycle.stop();
    const second = lifecycle.stop();
    expect(second).toBe(first);
    await flush();
    c.finishStop();
    await Promise.all([first, second]);
    expect(c.steps.stop).toHaveBeenCalledTimes(1);
  });

  it('resolves a stop after stopped at once, without stopping again', async () => {
    const steps = instantSteps();
    const lifecycle = createLifecycle(steps);
    await lifecycle.stop();
    await lifecycle.stop();
    expect(steps.stop).toHaveBeenCalledTimes(1);
    expect(lifecycle.state().phase).toBe('stopped');
  });

  it('refuses a listen after stop with a clear error, without starting', async () => {
    const steps = instantSteps();
    const lifecycle = createLifecycle(steps);
    await lifecycle.listen(0, '127.0.0.1');
    await lifecycle.stop();
    await expect(lifecycle.listen(0, '127.0.0.1')).rejects.toThrow(
      'This gateway is stopped (or stopping) and cannot listen again: create a new gateway.',
    );
    expect(steps.start).toHaveBeenCalledTimes(1);
  });

  it('refuses a listen while stopping', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    void lifecycle.stop();
    await expect(lifecycle.listen(0, '127.0.0.1')).rejects.toThrow(/stopped \(or stopping\)/);
    expect(c.steps.start).not.toHaveBeenCalled();
  });

  it('waits for a start under way before stopping, and does not become listening afterwards', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const listening = lifecycle.listen(0, '127.0.0.1');
    const stopped = lifecycle.stop();
    expect(lifecycle.state().phase).toBe('stopping');
    await flush();
    expect(c.calls).toEqual(['start 127.0.0.1:0']);
    c.finishStart('http://127.0.0.1:1/graphql');
    await expect(listening).resolves.toBe('http://127.0.0.1:1/graphql');
    await flush();
    expect(c.calls).toEqual(['start 127.0.0.1:0', 'stop']);
    expect(lifecycle.state().phase).toBe('stopping');
    c.finishStop();
    await stopped;
    expect(lifecycle.state().phase).toBe('stopped');
  });

  it('still stops when the start under way fails', async () => {
    const c = controlledSteps();
    const lifecycle = createLifecycle(c.steps);
    const listening = lifecycle.listen(0, '0.0.0.0');
    const stopped = lifecycle.stop();
    c.failStart(new Error('Refusing to listen'));
    await expect(listening).rejects.toThrow('Refusing to listen');
    await flush();
    c.finishStop();
    await stopped;
    expect(c.calls).toEqual(['start 0.0.0.0:0', 'stop']);
    expect(lifecycle.state().phase).toBe('stopped');
  });

  it('is stopped even when the stop step fails, and reports the failure to the caller', async () => {
    const lifecycle = createLifecycle({
      start: async () => 'http://127.0.0.1:1/graphql',
      stop: async () => {
        throw new Error('close failed');
      },
    });
    await expect(lifecycle.stop()).rejects.toThrow('close failed');
    expect(lifecycle.state().phase).toBe('stopped');
    await expect(lifecycle.stop()).resolves.toBeUndefined();
  });
});
