import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import DocumentList from './DocumentList.svelte';
import { fakeCore } from '../../../test/ipc';
import { doc } from '../../../test/workOrders';

const receipt = doc({ id: 'd-5', form: 'acceptanceReceipt', number: 'SH01-HZ-2026-000005' });

async function choose(name: string, bytes: number[]) {
  const input = screen.getByTestId('doc-scan-input') as HTMLInputElement;
  const file = new File([new Uint8Array(bytes)], name, { type: 'image/png' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}

const scanInfo = (matches: boolean) => ({
  id: 's-1',
  documentId: 'd-5',
  fileName: '回执 扫描.png',
  format: 'png',
  size: 3,
  sha256: 'x',
  qrTexts: [],
  matches,
  attachedAt: '2026-03-01T05:00:00Z',
  attachedBy: 'u-admin',
});

describe('scans of signed paper', () => {
  it('attach at once when the QR code is the document’s number', async () => {
    const onChanged = vi.fn();
    const calls = fakeCore({
      doc_check_scan: () => ({
        expected: 'SH01-HZ-2026-000005',
        found: ['SH01-HZ-2026-000005'],
        matches: true,
        format: 'png',
      }),
      doc_attach_scan: () => scanInfo(true),
    });
    render(DocumentList, { documents: [receipt], onPreview: vi.fn(), onChanged });
    await choose('回执 扫描.png', [1, 2, 3]);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    const result = screen.getByTestId('scan-result');
    expect(result.dataset.matches).toBe('true');
    expect(result.textContent).toContain('扫描件已附上');
    expect(calls.map((c) => c.cmd)).toEqual(['doc_check_scan', 'doc_attach_scan']);
    // the file travels as the raw body, its document and name in headers
    expect(Array.from(calls[0].args as unknown as Uint8Array)).toEqual([1, 2, 3]);
    expect(calls[0].headers).toEqual({ 'document-id': 'd-5' });
    expect(calls[1].headers).toEqual({
      'document-id': 'd-5',
      'file-name': encodeURIComponent('回执 扫描.png'),
      'accept-mismatch': 'false',
    });
  });

  it('explain a different code and attach only when the desk confirms', async () => {
    const onChanged = vi.fn();
    const calls = fakeCore({
      doc_check_scan: () => ({
        expected: 'SH01-HZ-2026-000005',
        found: ['SH01-PX-2026-000002'],
        matches: false,
        format: 'png',
      }),
      doc_attach_scan: () => scanInfo(false),
    });
    render(DocumentList, { documents: [receipt], onPreview: vi.fn(), onChanged });
    await choose('scan.png', [9]);
    const result = await screen.findByTestId('scan-result');
    expect(result.dataset.matches).toBe('false');
    expect(result.textContent).toContain(
      '这份扫描件上的二维码是 SH01-PX-2026-000002，不是本单据的编号 SH01-HZ-2026-000005',
    );
    expect(calls.map((c) => c.cmd)).toEqual(['doc_check_scan']);
    await fireEvent.click(screen.getByTestId('scan-attach-anyway'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls[1].headers?.['accept-mismatch']).toBe('true');
  });

  it('say when there is no QR code at all, and can be dropped', async () => {
    const calls = fakeCore({
      doc_check_scan: () => ({
        expected: 'SH01-HZ-2026-000005',
        found: [],
        matches: false,
        format: 'jpeg',
      }),
    });
    render(DocumentList, { documents: [receipt], onPreview: vi.fn(), onChanged: vi.fn() });
    await choose('photo.jpg', [7]);
    expect((await screen.findByTestId('scan-result')).textContent).toContain('没有找到二维码');
    await fireEvent.click(screen.getByTestId('scan-cancel'));
    expect(screen.queryByTestId('scan-result')).toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe('voiding a document', () => {
  it('asks for a reason and sends it', async () => {
    const onChanged = vi.fn();
    const calls = fakeCore({ doc_void: () => ({ ...receipt, status: 'void' }) });
    render(DocumentList, { documents: [receipt], onPreview: vi.fn(), onChanged });
    await fireEvent.click(screen.getByTestId('doc-void'));
    await fireEvent.input(await screen.findByTestId('void-reason'), {
      target: { value: '金额填错' },
    });
    await fireEvent.click(screen.getByTestId('void-save'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls[0]).toEqual({ cmd: 'doc_void', args: { id: 'd-5', reason: '金额填错' } });
    expect(screen.queryByTestId('void-dialog')).toBeNull();
  });
});
