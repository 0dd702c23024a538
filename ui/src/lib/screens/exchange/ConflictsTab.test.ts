import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ConflictsTab from './ConflictsTab.svelte';
import { failure, fakeCore, status, admin, site } from '../../../test/ipc';
import { conflict } from '../../../test/exchange';
import { session } from '$lib/state/session.svelte';

const decided = conflict({
  id: 'cf-0',
  tableName: 'work_orders',
  localData: { number: 'SH01-PX-2026-000001', state: 'closed', rev: 5 },
  incoming: { number: 'SH01-PX-2026-000001', state: 'onSite', rev: 5 },
  kept: 'local',
  resolvedAt: '2026-03-01T02:00:00Z',
  resolution: 'local',
});

describe('ConflictsTab', () => {
  it('lists the open conflicts first, each with only the fields that differ side by side', async () => {
    session.apply(status());
    const calls = fakeCore({ exchange_conflicts: () => [decided, conflict()] });
    render(ConflictsTab);
    const card = await screen.findByTestId('exchange-conflict-cf-1');
    expect(calls[0]).toEqual({ cmd: 'exchange_conflicts', args: { openOnly: false } });
    expect(card.dataset.state).toBe('open');
    expect(card.textContent).toContain('客户 · 张伟');
    expect(card.textContent).toContain('来自：WX01');
    // the origin as a person knows it, its id on hover
    const origin = within(card).getByTestId('exchange-conflict-origin');
    expect(origin.textContent).toBe('创建站点：WX01 无锡特约网点');
    expect(origin.getAttribute('title')).toBe('remote-site-id-0000001');
    expect(within(card).getByTestId('exchange-conflict-standing').textContent).toContain(
      '现行：来件版本',
    );
    const fields = within(card).getAllByTestId('exchange-conflict-field');
    // name, kind, id and site are the same on both sides: not shown
    expect(fields.map((f) => f.dataset.field)).toEqual(['note', 'rev', 'updated_at']);
    const note = fields[0];
    expect(note.querySelector('th')?.textContent).toBe('备注');
    expect(note.querySelector('[data-side="local"]')?.textContent?.trim()).toBe('老客户，改过地址');
    expect(note.querySelector('[data-side="incoming"]')?.textContent?.trim()).toBe('换机客户');
    // the standing version is marked
    expect(note.querySelector('[data-side="incoming"]')?.classList.contains('standing')).toBe(true);

    // open ones first, the decided one below with its decision
    const open = screen.getByTestId('exchange-conflicts-open');
    const done = screen.getByTestId('exchange-conflicts-resolved');
    expect(open.compareDocumentPosition(done) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const old = within(done).getByTestId('exchange-conflict-cf-0');
    expect(old.dataset.state).toBe('resolved');
    expect(old.textContent).toContain('工单 · SH01-PX-2026-000001');
    expect(within(old).getByTestId('exchange-conflict-resolution').textContent).toContain(
      '已决定：保留本站版本',
    );
    expect(within(old).queryByTestId('exchange-resolve-local')).toBeNull();
  });

  it('resolves through the core and moves the conflict to the decided ones', async () => {
    session.apply(status());
    const calls = fakeCore({
      exchange_conflicts: () => [conflict()],
      // as the core answers: the decision is `resolution`, and `kept` follows it
      exchange_resolve: (a) =>
        conflict({
          resolvedAt: '2026-03-03T03:00:00Z',
          resolution: a.keep as string,
          kept: a.keep as string,
        }),
    });
    render(ConflictsTab);
    const card = await screen.findByTestId('exchange-conflict-cf-1');
    await fireEvent.click(within(card).getByTestId('exchange-resolve-local'));
    await waitFor(() =>
      expect(screen.getByTestId('exchange-conflict-cf-1').dataset.state).toBe('resolved'),
    );
    expect(calls.filter((c) => c.cmd === 'exchange_resolve')).toEqual([
      { cmd: 'exchange_resolve', args: { id: 'cf-1', keep: 'local' } },
    ]);
    expect(screen.getByTestId('exchange-conflicts-empty').textContent).toContain('没有待处理');
    const card2 = screen.getByTestId('exchange-conflict-cf-1');
    expect(card2.dataset.kept).toBe('local');
    expect(within(card2).getByTestId('exchange-conflict-standing').textContent).toContain(
      '现行：本站版本',
    );
    const note = within(card2).getAllByTestId('exchange-conflict-field')[0];
    expect(note.querySelector('[data-side="local"]')?.classList.contains('standing')).toBe(true);
    expect(within(card2).getByTestId('exchange-conflict-resolution').textContent).toContain(
      '保留本站版本',
    );
  });

  it('names the origin by code, marks this site, and falls back to the id', async () => {
    session.apply(status());
    fakeCore({
      exchange_conflicts: () => [
        conflict({ id: 'cf-a', originSite: site.id, originCode: 'SH01', originName: site.name }),
        conflict({ id: 'cf-b', originCode: 'C01', originName: '' }),
        conflict({ id: 'cf-c', originCode: '', originName: '', originSite: 'gone-site-id' }),
      ],
    });
    render(ConflictsTab);
    const origin = async (id: string) =>
      within(await screen.findByTestId(`exchange-conflict-${id}`)).getByTestId(
        'exchange-conflict-origin',
      ).textContent;
    expect(await origin('cf-a')).toBe('创建站点：SH01 上海浦东服务站（本站点）');
    expect(await origin('cf-b')).toBe('创建站点：C01');
    expect(await origin('cf-c')).toBe('创建站点：gone-site-id');
  });

  it('shows a decided conflict by its decision, also one decided before `kept` followed it', async () => {
    session.apply(status());
    fakeCore({
      exchange_conflicts: () => [
        conflict({
          id: 'cf-new',
          kept: 'incoming',
          resolution: 'incoming',
          resolvedAt: '2026-03-03T03:00:00Z',
        }),
        // recorded by an older core: `kept` still says what the import left
        conflict({
          id: 'cf-old',
          kept: 'incoming',
          resolution: 'local',
          resolvedAt: '2026-03-02T03:00:00Z',
        }),
      ],
    });
    render(ConflictsTab);
    const card = await screen.findByTestId('exchange-conflict-cf-new');
    expect(card.dataset.kept).toBe('incoming');
    expect(within(card).getByTestId('exchange-conflict-standing').textContent).toContain(
      '现行：来件版本',
    );
    expect(within(card).getByTestId('exchange-conflict-resolution').textContent).toContain(
      '已决定：采用来件版本',
    );
    const old = screen.getByTestId('exchange-conflict-cf-old');
    expect(old.dataset.kept).toBe('local');
    expect(within(old).getByTestId('exchange-conflict-standing').textContent).toContain(
      '现行：本站版本',
    );
    expect(within(old).getByTestId('exchange-conflict-resolution').textContent).toContain(
      '已决定：保留本站版本',
    );
  });

  it('reads the list again when someone else decided first', async () => {
    session.apply(status());
    let n = 0;
    fakeCore({
      exchange_conflicts: () =>
        n++
          ? [
              conflict({
                resolvedAt: '2026-03-03T03:00:00Z',
                resolution: 'incoming',
                kept: 'incoming',
              }),
            ]
          : [conflict()],
      exchange_resolve: () => {
        throw { ...failure('invalid_transition'), params: { from: 'resolved', event: 'resolve' } };
      },
    });
    render(ConflictsTab);
    const card = await screen.findByTestId('exchange-conflict-cf-1');
    await fireEvent.click(within(card).getByTestId('exchange-resolve-incoming'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.textContent).toContain('已经有人处理过了');
    await waitFor(() =>
      expect(screen.getByTestId('exchange-conflict-cf-1').dataset.state).toBe('resolved'),
    );
  });

  it('shows the conflicts to every role but offers the decision only to supervisors and admins', async () => {
    session.apply(status({ user: { ...admin, role: 'frontDesk' } }));
    fakeCore({ exchange_conflicts: () => [conflict()] });
    render(ConflictsTab);
    const card = await screen.findByTestId('exchange-conflict-cf-1');
    expect(within(card).getAllByTestId('exchange-conflict-field')).toHaveLength(3);
    expect(within(card).queryByTestId('exchange-resolve-local')).toBeNull();
    expect(within(card).queryByTestId('exchange-resolve-incoming')).toBeNull();
  });

  it('says when nothing waits', async () => {
    session.apply(status());
    fakeCore({ exchange_conflicts: () => [] });
    render(ConflictsTab);
    await screen.findByTestId('exchange-conflicts-empty');
    expect(screen.queryByTestId('exchange-conflicts-resolved')).toBeNull();
  });
});
