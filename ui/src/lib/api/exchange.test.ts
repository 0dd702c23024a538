import { describe, expect, it } from 'vitest';
import * as exchange from './exchange';
import { fakeCore } from '../../test/ipc';
import { conflict, peers, refused, summary } from '../../test/exchange';

describe('exchange api', () => {
  it('sends every command with the camelCase arguments of the contract', async () => {
    const calls = fakeCore({
      exchange_export: () => summary(),
      exchange_import: () => summary({ direction: 'import' }),
      exchange_history: () => [summary()],
      exchange_peers: () => peers,
      exchange_add_peer: () => peers,
      exchange_conflicts: () => [conflict()],
      exchange_resolve: () => conflict({ resolvedAt: '2026-03-03T03:00:00Z', resolution: 'local' }),
    });
    const options = { kind: 'data' as const, destination: 'C01', full: false };
    expect(await exchange.exportBundle(options)).toEqual(summary());
    await exchange.exportBundle({ kind: 'policy', destination: '', full: true }, '/tmp/p.zip');
    await exchange.importBundle({ allowUnknownSite: false });
    await exchange.importBundle({ allowUnknownSite: true }, '/tmp/b.zip');
    await exchange.exchangeHistory();
    await exchange.listPeers();
    const peer = { code: 'WX02', name: '苏州网点', relation: 'below' };
    await exchange.addPeer(peer);
    await exchange.listConflicts(true);
    const done = await exchange.resolveConflict('cf-1', 'local');
    expect(done.resolution).toBe('local');
    expect(calls).toEqual([
      { cmd: 'exchange_export', args: { options, path: null } },
      {
        cmd: 'exchange_export',
        args: { options: { kind: 'policy', destination: '', full: true }, path: '/tmp/p.zip' },
      },
      { cmd: 'exchange_import', args: { options: { allowUnknownSite: false }, path: null } },
      {
        cmd: 'exchange_import',
        args: { options: { allowUnknownSite: true }, path: '/tmp/b.zip' },
      },
      { cmd: 'exchange_history', args: {} },
      { cmd: 'exchange_peers', args: {} },
      { cmd: 'exchange_add_peer', args: { peer } },
      { cmd: 'exchange_conflicts', args: { openOnly: true } },
      { cmd: 'exchange_resolve', args: { id: 'cf-1', keep: 'local' } },
    ]);
  });

  it('passes a cancelled dialog on as null', async () => {
    fakeCore({ exchange_export: () => null, exchange_import: () => null });
    expect(await exchange.exportBundle({ kind: 'data', destination: '', full: true })).toBeNull();
    expect(await exchange.importBundle({ allowUnknownSite: false })).toBeNull();
  });

  it('rejects with the ErrorPayload of a refused file', async () => {
    fakeCore({
      exchange_import: () => {
        throw refused('checksum_mismatch');
      },
    });
    await expect(exchange.importBundle({ allowUnknownSite: false })).rejects.toMatchObject({
      code: 'validation',
      field: 'file',
      rule: 'checksum_mismatch',
      issues: [{ field: 'file', rule: 'checksum_mismatch' }],
    });
  });
});
