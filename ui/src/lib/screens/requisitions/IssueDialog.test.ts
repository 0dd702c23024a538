import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import IssueDialog from './IssueDialog.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { board, requisition } from '../../../test/parts';

const approved = requisition({ state: 'approved', rev: 2, decidedByName: '仓库老张' });

describe('IssueDialog', () => {
  it('asks serials only for the serial-tracked lines and sends one list per line', async () => {
    const calls = fakeCore({
      stock_balance: () => ({
        part: board,
        onHand: 3,
        byLocation: [],
        serialsInStock: ['PCB0001', 'PCB0002', 'PCB0003'],
      }),
      req_issue: () => ({ ...approved, state: 'issued', rev: 3 }),
    });
    const onDone = vi.fn();
    render(IssueDialog, { requisition: approved, onDone, onCancel: vi.fn() });
    expect(screen.getByTestId('issue-serials-0')).toBeTruthy();
    expect(screen.queryByTestId('issue-serials-1')).toBeNull();

    await fireEvent.input(screen.getByTestId('issue-serials-0'), {
      target: { value: 'pcb0003\n' },
    });
    // a serial in stock can be clicked in
    const options = await screen.findAllByTestId('issue-serial-option');
    await fireEvent.click(options[0]);
    expect((screen.getByTestId('issue-serials-0') as HTMLTextAreaElement).value).toBe(
      'pcb0003\nPCB0001',
    );
    await fireEvent.click(screen.getByTestId('issue-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.cmd === 'req_issue')?.args).toEqual({
      id: 'r-1',
      rev: 2,
      serials: [['pcb0003', 'PCB0001'], []],
    });
  });

  it('shows a shortage and a serial count on the line they belong to', async () => {
    fakeCore({
      stock_balance: () => ({ part: board, onHand: 0, byLocation: [], serialsInStock: [] }),
      req_issue: () => {
        throw validation([
          { field: 'lines.0.serials', rule: 'serial_count', params: { expected: '2' } },
          {
            field: 'lines.1.qty',
            rule: 'insufficient_stock',
            params: { available: '1', requested: '3', part: '启动电容' },
          },
        ]);
      },
    });
    render(IssueDialog, { requisition: approved, onDone: vi.fn(), onCancel: vi.fn() });
    await fireEvent.click(screen.getByTestId('issue-save'));
    expect((await screen.findByTestId('field-error-lines.0.serials')).textContent).toContain(
      '应为 2 个',
    );
    expect(screen.getByTestId('field-error-lines.1.qty').textContent).toContain(
      '“启动电容”库存不足：这个库位现有 1，需要 3',
    );
  });
});
