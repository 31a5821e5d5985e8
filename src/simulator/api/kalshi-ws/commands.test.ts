import { describe, expect, it } from 'vitest';
import { parseWsCommand } from './commands.ts';

const code = (text: unknown) => {
  const parsed = parseWsCommand(typeof text === 'string' ? text : JSON.stringify(text));
  return parsed.ok ? 0 : parsed.error.code;
};

describe('parseWsCommand', () => {
  it('reads the four commands', () => {
    expect(
      parseWsCommand(
        JSON.stringify({ id: 4, cmd: 'subscribe', params: { channels: ['ticker'], market_ticker: 'A' } }),
      ),
    ).toEqual({
      ok: true,
      command: {
        cmd: 'subscribe',
        id: 4,
        channels: ['ticker'],
        marketTickers: ['A'],
        sendInitialSnapshot: false,
      },
    });
    expect(
      parseWsCommand(
        JSON.stringify({
          id: 5,
          cmd: 'update_subscription',
          params: { sids: [3], market_tickers: ['A', 'B', 'A'], action: 'delete_markets' },
        }),
      ),
    ).toEqual({
      ok: true,
      command: {
        cmd: 'update_subscription',
        id: 5,
        sid: 3,
        action: 'delete_markets',
        marketTickers: ['A', 'B'],
        sendInitialSnapshot: false,
      },
    });
    expect(parseWsCommand('{"id":6,"cmd":"unsubscribe","params":{"sids":[1,2]}}')).toEqual({
      ok: true,
      command: { cmd: 'unsubscribe', id: 6, sids: [1, 2] },
    });
    expect(parseWsCommand('{"id":7,"cmd":"list_subscriptions"}')).toEqual({
      ok: true,
      command: { cmd: 'list_subscriptions', id: 7 },
    });
  });

  it('maps each shape problem to Kalshi’s code', () => {
    expect(code('{')).toBe(1);
    expect(code({ id: 1 })).toBe(1);
    expect(code({ id: 1, cmd: 'subscribe' })).toBe(2);
    expect(code({ id: 1, cmd: 'subscribe', params: { channels: [] } })).toBe(3);
    expect(code({ id: 1, cmd: 'unsubscribe', params: { sids: [] } })).toBe(4);
    expect(code({ id: 1, cmd: 'unsubscribe', params: { sids: [0] } })).toBe(11);
    expect(code({ id: 1, cmd: 'ping' })).toBe(5);
    expect(code({ id: 1, cmd: 'subscribe', params: { channels: ['ticker'], market_tickers: [] } })).toBe(11);
    expect(
      code({ id: 1, cmd: 'subscribe', params: { channels: ['ticker'], send_initial_snapshot: 'yes' } }),
    ).toBe(11);
    expect(code({ id: 1, cmd: 'update_subscription', params: { sid: 1, market_ticker: 'A' } })).toBe(15);
    expect(
      code({ id: 1, cmd: 'update_subscription', params: { sid: 1, market_ticker: 'A', action: 'x' } }),
    ).toBe(13);
    expect(
      code({ id: 1, cmd: 'update_subscription', params: { market_ticker: 'A', action: 'add_markets' } }),
    ).toBe(12);
    expect(code({ id: 1, cmd: 'update_subscription', params: { sid: 1, action: 'add_markets' } })).toBe(14);
  });

  it('keeps the command id on errors, and leaves it out when there is none', () => {
    const withId = parseWsCommand('{"id":9,"cmd":"subscribe"}');
    expect(withId).toEqual({ ok: false, error: { id: 9, code: 2, msg: 'Params required' } });
    const withoutId = parseWsCommand('{"cmd":"subscribe","params":{}}');
    expect(withoutId.ok === false && withoutId.error.id).toBe(0);
  });
});
