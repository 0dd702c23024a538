import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ScrapInput } from '$lib/bindings/ScrapInput';
import ScrapDialog from './ScrapDialog.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { board, locations, scrap } from '../../../test/parts';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('ScrapDialog', () => {
  it('sends the lines with serials, the reason and the photos as bytes', async () => {
    URL.createObjectURL ??= () => 'blob:x';
    URL.revokeObjectURL ??= () => {};
    const calls = fakeCore({
      locations_list: () => locations,
      stock_list: () => [],
      parts_list: () => [board],
      scrap_request: () => scrap(),
    });
    const onDone = vi.fn();
    render(ScrapDialog, { onDone, onCancel: vi.fn() });
    await waitFor(() =>
      expect((screen.getByTestId('scrap-location') as HTMLSelectElement).value).toBe('l-main'),
    );
    await type('scrap-part-0', 'PCB');
    await fireEvent.mouseDown(await screen.findByTestId('part-option'));
    await type('scrap-serials-0', 'PCB0002');
    await type('scrap-reason', '运输中摔坏');
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'broken.jpg', {
      type: 'image/jpeg',
    });
    await fireEvent.change(screen.getByTestId('scrap-photos'), { target: { files: [photo] } });
    expect(screen.getAllByTestId('scrap-photo')).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('scrap-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.cmd === 'scrap_request')!.args).toEqual({
      input: {
        locationId: 'l-main',
        reason: '运输中摔坏',
        lines: [{ partId: 'p-pcb', qty: 1, serials: ['PCB0002'] }],
        photos: [{ fileName: 'broken.jpg', bytes: [0xff, 0xd8, 0xff, 0xe0] }],
      } satisfies ScrapInput,
    });
  });

  it('shows a photo the core refuses under that photo', async () => {
    URL.createObjectURL ??= () => 'blob:x';
    URL.revokeObjectURL ??= () => {};
    fakeCore({
      locations_list: () => locations,
      stock_list: () => [],
      scrap_request: () => {
        throw validation([{ field: 'photos.0.bytes', rule: 'unsupported_file', params: {} }]);
      },
    });
    render(ScrapDialog, { onDone: vi.fn(), onCancel: vi.fn() });
    const pdf = new File([new Uint8Array([0x25, 0x50])], 'a.pdf', { type: 'application/pdf' });
    await fireEvent.change(screen.getByTestId('scrap-photos'), { target: { files: [pdf] } });
    await fireEvent.click(screen.getByTestId('scrap-save'));
    expect((await screen.findByTestId('field-error-photos.0.bytes')).textContent).toContain(
      '不是照片',
    );
  });
});
