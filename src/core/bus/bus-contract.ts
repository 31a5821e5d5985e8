/**
 * The one contract every Bus implementation passes (run by memory-bus.test.ts and
 * redis-bus.test.ts). Expectations are written out by hand from the pattern rules in bus.ts,
 * never derived from the implementation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, BusLogger, BusMessage } from './bus.ts';
import { BusClosedError } from './bus.ts';
import { TopicSyntaxError } from './topic-pattern.ts';
import { TopicValidationError, type AlertMessage, type HealthMessage } from './topics.ts';

export interface BusContractTarget {
  name: string;
  open(logger: BusLogger): Promise<Bus>;
  /** Transport-level hooks (Redis): push raw text onto a topic's channel, and kill a connection. */
  transport?: {
    injectRaw(bus: Bus, topic: string, text: string): Promise<void>;
    /** Kills the bus's publisher or subscriber connection server-side; returns how many died. */
    dropConnection(bus: Bus, role: 'publisher' | 'subscriber'): Promise<number>;
  };
}

export class RecordingLogger implements BusLogger {
  readonly warnings: Array<{ details: object; message: string }> = [];
  readonly errors: Array<{ details: object; message: string }> = [];
  warn(details: object, message: string): void {
    this.warnings.push({ details, message });
  }
  error(details: object, message: string): void {
    this.errors.push({ details, message });
  }
}

const health = (service: string, at = 1): HealthMessage => ({ service, status: 'healthy', checks: [], at });
const alert = (at: number): AlertMessage => ({
  severity: 'info',
  source: 'contract',
  message: `alert ${at}`,
  at,
  dedupeKey: `k${at}`,
});

function recorder<T = unknown>() {
  const got: Array<BusMessage<T>> = [];
  return { got, handler: (message: BusMessage<T>) => void got.push(message) };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

/** Long enough for any wrongly routed message (all local, already sent) to show up. */
const SETTLE_MS = 50;

export function runBusContract(target: BusContractTarget): void {
  describe(`Bus contract: ${target.name}`, () => {
    const opened: Bus[] = [];
    let logger: RecordingLogger;
    const open = async () => {
      logger = new RecordingLogger();
      const bus = await target.open(logger);
      opened.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    it('delivers an exact topic, with the payload intact and frozen, and nothing else', async () => {
      const bus = await open();
      const r = recorder<HealthMessage>();
      await bus.subscribe('health.main_app', r.handler);
      await bus.publish('health.other', health('other'));
      await bus.publish('health.main_app.extra', health('extra'));
      const published: HealthMessage = {
        service: 'main_app',
        status: 'degraded',
        checks: [{ name: 'last tick', ok: false, detail: 'age 14 s' }],
        at: 1_700_000_000_000,
      };
      await bus.publish('health.main_app', published);
      await until(() => r.got.length >= 1, 'the exact topic');
      await delay(SETTLE_MS);
      expect(r.got).toEqual([
        {
          topic: 'health.main_app',
          payload: {
            service: 'main_app',
            status: 'degraded',
            checks: [{ name: 'last tick', ok: false, detail: 'age 14 s' }],
            at: 1_700_000_000_000,
          },
        },
      ]);
      expect(Object.isFrozen(r.got[0]?.payload)).toBe(true);
      expect(Object.isFrozen(r.got[0]?.payload.checks[0])).toBe(true);
      expect(Object.isFrozen(published) || Object.isFrozen(published.checks)).toBe(false); // the publisher's copy
    });

    it('matches `*` as exactly one segment and a trailing `>` as one or more', async () => {
      const bus = await open();
      const expected: Record<string, string[]> = {
        health: ['health'],
        'health.*': ['health.a', 'health.b'],
        '*.a': ['health.a', 'alerts.a'],
        '*': ['health', 'alerts'],
        'health.>': ['health.a', 'health.a.b', 'health.b'],
        'alerts.>': ['alerts.a', 'alerts.a.b.c'],
        '*.a.>': ['health.a.b', 'alerts.a.b.c'],
        'alerts.*.b.*': ['alerts.a.b.c'],
        '>': ['health', 'health.a', 'health.a.b', 'health.b', 'alerts.a', 'alerts.a.b.c', 'alerts'],
      };
      const recorders = new Map<string, ReturnType<typeof recorder>>();
      for (const pattern of Object.keys(expected)) {
        const r = recorder();
        recorders.set(pattern, r);
        await bus.subscribe(pattern, r.handler);
      }
      for (const topic of ['health', 'health.a', 'health.a.b', 'health.b']) {
        await bus.publish(topic, health(topic));
      }
      for (const [at, topic] of ['alerts.a', 'alerts.a.b.c', 'alerts'].entries()) {
        await bus.publish(topic, alert(at));
      }
      await until(
        () => Object.entries(expected).every(([p, topics]) => recorders.get(p)!.got.length >= topics.length),
        'every pattern to receive its topics',
      );
      await delay(SETTLE_MS);
      const received = Object.fromEntries(
        [...recorders].map(([pattern, r]) => [pattern, r.got.map((message) => message.topic)]),
      );
      expect(received).toEqual(expected);
    });

    it('gives every subscriber each matching message exactly once, overlapping patterns included', async () => {
      const bus = await open();
      const same = Array.from({ length: 10 }, () => recorder());
      for (const r of same) await bus.subscribe('alerts.>', r.handler);
      const oneSegment = recorder();
      const byLastSegment = recorder();
      await bus.subscribe('alerts.*', oneSegment.handler);
      await bus.subscribe('*.x', byLastSegment.handler);
      for (let i = 0; i < 5; i++) await bus.publish('alerts.x', alert(i));
      const all = [...same, oneSegment, byLastSegment];
      await until(() => all.every((r) => r.got.length >= 5), 'all subscribers');
      await delay(SETTLE_MS);
      for (const r of all) {
        expect(r.got.map((m) => (m.payload as AlertMessage).at)).toEqual([0, 1, 2, 3, 4]);
      }
    });

    it('stops delivering after unsubscribe without disturbing other subscribers', async () => {
      const bus = await open();
      const kept = recorder();
      const dropped = recorder();
      await bus.subscribe('alerts.*', kept.handler);
      const unsubscribe = await bus.subscribe('alerts.*', dropped.handler);
      await bus.publish('alerts.u', alert(1));
      await until(() => kept.got.length === 1 && dropped.got.length === 1, 'first message');

      await unsubscribe();
      await unsubscribe(); // harmless twice
      await bus.publish('alerts.u', alert(2));
      await until(() => kept.got.length === 2, 'second message');
      await delay(SETTLE_MS);
      expect(dropped.got.map((m) => (m.payload as AlertMessage).at)).toEqual([1]);

      // The last subscriber of a pattern leaving, then a new one arriving, works again.
      const only = recorder();
      const leaveOnly = await bus.subscribe('health.solo', only.handler);
      await leaveOnly();
      const again = recorder();
      await bus.subscribe('health.solo', again.handler);
      await bus.publish('health.solo', health('solo'));
      await until(() => again.got.length === 1, 'resubscribed pattern');
      await delay(SETTLE_MS);
      expect(only.got).toEqual([]);
    });

    it('keeps per-topic order and runs one handler call at a time', async () => {
      const bus = await open();
      const seen: number[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      await bus.subscribe('alerts.order', async (message) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (message.payload.at % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
        seen.push(message.payload.at);
        inFlight -= 1;
      });
      const count = 300;
      await Promise.all(Array.from({ length: count }, (_, i) => bus.publish('alerts.order', alert(i))));
      await until(() => seen.length >= count, `${count} ordered messages`);
      expect(seen).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(maxInFlight).toBe(1);
    });

    it('never runs a handler inside publish', async () => {
      const bus = await open();
      let publishing = false;
      const calledWhilePublishing: boolean[] = [];
      await bus.subscribe('alerts.sync', () => void calledWhilePublishing.push(publishing));
      publishing = true;
      const sent = bus.publish('alerts.sync', alert(1));
      publishing = false;
      await sent;
      await until(() => calledWhilePublishing.length === 1, 'delivery');
      expect(calledWhilePublishing).toEqual([false]);
    });

    it('rejects invalid payloads, unknown families and bad names, publishing nothing', async () => {
      const bus = await open();
      const everything = recorder();
      await bus.subscribe('>', everything.handler);

      const badStatus = { service: 'x', status: 'fine', checks: [], at: 1 };
      await expect(bus.publish('health.x', badStatus as never)).rejects.toThrow(TopicValidationError);
      await expect(bus.publish('health.x', badStatus as never)).rejects.toThrow(
        /invalid payload for topic "health\.x": status: /,
      );
      await expect(bus.publish('alerts.x', { ...alert(1), at: -5 })).rejects.toThrow(/at: /);
      await expect(bus.publish('nope.btc' as string, health('x'))).rejects.toThrow(
        /unknown topic family "nope"/,
      );
      await expect(bus.publish('health..x', health('x'))).rejects.toThrow(TopicSyntaxError);
      await expect(bus.publish('health.*', health('x'))).rejects.toThrow(TopicSyntaxError);
      await expect(bus.subscribe('alerts.>.x', () => {})).rejects.toThrow(TopicSyntaxError);
      await expect(bus.subscribe('', () => {})).rejects.toThrow(TopicSyntaxError);
      await expect(bus.subscribe('nope.*' as string, () => {})).rejects.toThrow(
        /unknown topic family "nope"/,
      );

      await bus.publish('alerts.valid', alert(9));
      await until(() => everything.got.length >= 1, 'the valid message');
      await delay(SETTLE_MS);
      expect(everything.got.map((m) => m.topic)).toEqual(['alerts.valid']);
    });

    it('isolates a throwing or rejecting handler: it is logged, keeps receiving, others are unaffected', async () => {
      const bus = await open();
      let throwerCalls = 0;
      let rejecterCalls = 0;
      const good = recorder();
      await bus.subscribe('alerts.*', () => {
        throwerCalls += 1;
        throw new Error('handler bug');
      });
      await bus.subscribe('alerts.*', async () => {
        rejecterCalls += 1;
        await Promise.resolve();
        throw new Error('async handler bug');
      });
      await bus.subscribe('alerts.*', good.handler);
      for (let i = 0; i < 3; i++) await bus.publish('alerts.iso', alert(i));
      await until(() => good.got.length === 3 && throwerCalls === 3 && rejecterCalls === 3, 'all handlers');
      await until(() => logger.errors.length === 6, 'six logged handler failures');
      expect(good.got.map((m) => (m.payload as AlertMessage).at)).toEqual([0, 1, 2]);
      expect(logger.errors.every((e) => e.message.includes('handler failed'))).toBe(true);
    });

    it('refuses to publish or subscribe once closed', async () => {
      const bus = await open();
      await bus.close();
      await expect(bus.publish('alerts.x', alert(1))).rejects.toThrow(BusClosedError);
      await expect(bus.subscribe('alerts.x', () => {})).rejects.toThrow(BusClosedError);
    });

    const transport = target.transport;
    if (transport === undefined) return;

    it('drops malformed messages arriving from the transport and keeps the subscriber alive', async () => {
      const bus = await open();
      const r = recorder();
      await bus.subscribe('>', r.handler);
      await transport.injectRaw(bus, 'alerts.x', 'not json {');
      await transport.injectRaw(bus, 'alerts.x', JSON.stringify({ severity: 'loud' }));
      await transport.injectRaw(bus, 'nope.x', JSON.stringify(alert(1)));
      await transport.injectRaw(bus, 'alerts..x', JSON.stringify(alert(1)));
      await bus.publish('alerts.x', alert(2));
      await until(() => r.got.length >= 1, 'the valid message');
      await delay(SETTLE_MS);
      expect(r.got).toEqual([{ topic: 'alerts.x', payload: alert(2) }]);
      const drops = logger.warnings.filter((w) => w.message.includes('malformed'));
      expect(drops).toHaveLength(4);
    });

    it('resubscribes every pattern after the subscriber connection is dropped, and republishes after the publisher is', async () => {
      const bus = await open();
      const healthR = recorder<HealthMessage>();
      const alertsR = recorder<AlertMessage>();
      await bus.subscribe('health.*', healthR.handler);
      await bus.subscribe('alerts.>', alertsR.handler);
      await bus.publish('health.rc', health('rc', 1));
      await bus.publish('alerts.rc.deep', alert(1));
      await until(() => healthR.got.length === 1 && alertsR.got.length === 1, 'messages before the drop');

      expect(await transport.dropConnection(bus, 'subscriber')).toBe(1);
      // Messages sent while the subscriber reconnects are lost (snapshots); keep sending until
      // both patterns are live again.
      let at = 1;
      const pump = setInterval(() => {
        at += 1;
        void bus.publish('health.rc', health('rc', at));
        void bus.publish('alerts.rc.deep', alert(at));
      }, 50);
      try {
        await until(
          () => healthR.got.some((m) => m.payload.at >= 2) && alertsR.got.some((m) => m.payload.at >= 2),
          'both patterns to be delivered again after the subscriber reconnected',
          10_000,
        );
      } finally {
        clearInterval(pump);
      }

      expect(await transport.dropConnection(bus, 'publisher')).toBe(1);
      const last = at + 1000;
      await bus.publish('alerts.rc.deep', alert(last)); // queued by the client until reconnected
      await until(
        () => alertsR.got.some((m) => m.payload.at === last),
        'delivery after the publisher reconnected',
      );
    });
  });
}
