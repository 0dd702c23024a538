import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { SignatureInput } from '$lib/bindings/SignatureInput';
import SignatureDialog from './SignatureDialog.svelte';
import { StrokeRecorder } from './signature';
import { validation } from '../../../test/ipc';
import { detail } from '../../../test/workOrders';

async function draw(pad: HTMLElement, pointerId: number, points: [number, number][]) {
  const [first, ...rest] = points;
  const at = (p: [number, number]) => ({
    pointerId,
    pointerType: 'pen',
    button: 0,
    clientX: p[0],
    clientY: p[1],
  });
  await fireEvent.pointerDown(pad, at(first));
  for (const p of rest) await fireEvent.pointerMove(pad, at(p));
  await fireEvent.pointerUp(pad, at(rest[rest.length - 1] ?? first));
}

describe('signature pad', () => {
  it('turns pointer events into strokes in CSS px and sends them with the signer', async () => {
    const submit = vi.fn(async (_: SignatureInput) => {});
    render(SignatureDialog, {
      detail: detail({}, { state: 'onSite', totalFen: 9500 }),
      submit,
      onCancel: vi.fn(),
    });
    const save = screen.getByTestId('signature-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing drawn yet
    expect(screen.getByTestId('signature-dialog').textContent).toContain('¥95.00');
    // the signer starts as the order's contact
    expect((screen.getByTestId('signature-signer') as HTMLInputElement).value).toBe('张伟');

    const pad = screen.getByTestId('signature-pad');
    await draw(pad, 1, [
      [10, 20],
      [15.04, 25],
      [15.04, 25], // the same point again adds nothing
      [30, 40],
    ]);
    // a move after pen-up, or from another pointer, draws nothing
    await fireEvent.pointerMove(pad, { pointerId: 1, clientX: 99, clientY: 99 });
    await draw(pad, 2, [
      [100, 50],
      [700, 60], // dragged past the right edge: kept on the edge
      [120, -5],
    ]);
    expect(save.disabled).toBe(false);
    await fireEvent.input(screen.getByTestId('signature-signer'), { target: { value: '张 伟' } });
    await fireEvent.click(save);

    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0]).toEqual({
      width: 580,
      height: 200,
      strokes: [
        [
          [10, 20],
          [15, 25],
          [30, 40],
        ],
        [
          [100, 50],
          [580, 60],
          [120, 0],
        ],
      ],
      signer: '张 伟',
    });
  });

  it('clears the pad, and shows the core’s verdict on a too-short signature', async () => {
    const submit = vi.fn(async () => {
      throw validation([{ field: 'signature', rule: 'signature_empty', params: {} }]);
    });
    render(SignatureDialog, { detail: detail({}, { state: 'onSite' }), submit, onCancel: vi.fn() });
    const pad = screen.getByTestId('signature-pad');
    await draw(pad, 1, [
      [1, 1],
      [2, 2],
    ]);
    await fireEvent.click(screen.getByTestId('signature-clear'));
    expect((screen.getByTestId('signature-save') as HTMLButtonElement).disabled).toBe(true);
    await draw(pad, 1, [
      [5, 5],
      [6, 6],
    ]);
    await fireEvent.click(screen.getByTestId('signature-save'));
    expect((await screen.findByTestId('field-error-signature')).textContent).toContain('签名太短');
    expect((submit.mock.calls[0] as unknown as [SignatureInput])[0].strokes).toEqual([
      [
        [5, 5],
        [6, 6],
      ],
    ]);
  });
});

describe('StrokeRecorder', () => {
  it('keeps strokes apart, rounds to 0.1 px and ignores moves with the pen up', () => {
    const r = new StrokeRecorder(100, 50);
    expect(r.extend(1, 1)).toBeNull();
    r.start(1.234, 2.26);
    expect(r.extend(3, 4)).toEqual({ from: [1.2, 2.3], to: [3, 4] });
    r.end();
    r.start(-3, 60);
    r.end();
    expect(r.strokes).toEqual([
      [
        [1.2, 2.3],
        [3, 4],
      ],
      [[0, 50]],
    ]);
    expect(r.pointCount).toBe(3);
    r.clear();
    expect(r.strokes).toEqual([]);
  });
});
