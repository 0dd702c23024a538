import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { BackupInfo } from '$lib/bindings/BackupInfo';
import BackupSettings from './BackupSettings.svelte';
import Settings from './Settings.svelte';
import { failure, fakeCore, status, validation } from '../../../test/ipc';
import { session } from '$lib/state/session.svelte';
import { setLocale } from '$lib/i18n/index.svelte';

const daily: BackupInfo = {
  fileName: 'desk-20261122T020000Z-daily.sqlite',
  size: 2_516_582,
  createdAt: '2026-11-22T02:00:00.000000Z',
  reason: 'daily',
  schemaVersion: 5,
};
const manual: BackupInfo = {
  fileName: 'desk-20261122T063000Z-manual.sqlite',
  size: 2_621_440,
  createdAt: '2026-11-22T06:30:00.000000Z',
  reason: 'manual',
  schemaVersion: 5,
};
const preRestore: BackupInfo = {
  ...manual,
  fileName: 'desk-20261122T070000Z-pre-restore.sqlite',
  createdAt: '2026-11-22T07:00:00.000000Z',
  reason: 'preRestore',
};
const settings = { keep: 14, dir: '/tmp/desk/backups' };
const rows = () => screen.getAllByTestId('backup-row');

describe('BackupSettings', () => {
  it('lists the backups and backs up now, busy while it runs', async () => {
    session.apply(status());
    let list = [daily];
    let finish: (b: BackupInfo) => void = () => {};
    const calls = fakeCore({
      backup_list: () => list,
      backup_settings: () => settings,
      backup_create: () =>
        new Promise<BackupInfo>((resolve) => {
          finish = (b) => {
            list = [b, ...list];
            resolve(b);
          };
        }),
    });
    render(BackupSettings);
    await waitFor(() => expect(rows()).toHaveLength(1));
    // Shanghai time, the kind in words, the size as people read it
    expect(rows()[0].textContent).toContain('2026/11/22 10:00');
    expect(rows()[0].textContent).toContain('每日自动');
    expect(rows()[0].textContent).toContain('2.4 MB');
    expect(screen.getByTestId('backup-dir').textContent).toContain('/tmp/desk/backups');
    expect((screen.getByTestId('backup-keep') as HTMLInputElement).value).toBe('14');

    const now = screen.getByTestId('backup-now') as HTMLButtonElement;
    await fireEvent.click(now);
    await waitFor(() => expect(now.textContent).toContain('正在备份'));
    expect(now.disabled).toBe(true);
    expect(now.getAttribute('aria-busy')).toBe('true');
    finish(manual);
    const made = await screen.findByTestId('backup-made');
    expect(made.textContent).toContain(manual.fileName);
    expect(made.textContent).toContain('2.5 MB');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0].dataset.reason).toBe('manual');
    expect(now.disabled).toBe(false);
    expect(calls.filter((c) => c.cmd === 'backup_create')).toHaveLength(1);
  });

  it('restores a listed backup after saying what happens, then returns to sign-in', async () => {
    session.apply(status());
    const calls = fakeCore({
      backup_list: () => [manual, daily],
      backup_settings: () => settings,
      backup_restore: () => ({ source: daily.fileName, schemaVersion: 5, preRestore }),
      app_status: () => status({ user: null }),
    });
    render(BackupSettings);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId('backup-restore')[1]);
    const dialog = screen.getByTestId('backup-confirm');
    expect(dialog.textContent).toContain('2026/11/22 10:00');
    expect(dialog.textContent).toContain('先备份当前数据');
    expect(dialog.textContent).toContain('回到登录界面');
    expect(screen.getByTestId('backup-confirm-file').textContent).toContain(daily.fileName);
    expect(calls.some((c) => c.cmd === 'backup_restore')).toBe(false);

    await fireEvent.click(screen.getByTestId('backup-confirm-restore'));
    await waitFor(() => expect(session.user).toBeNull());
    expect(calls.find((c) => c.cmd === 'backup_restore')?.args).toEqual({
      fileName: daily.fileName,
    });
    expect(calls.map((c) => c.cmd)).toContain('app_status');
  });

  it('says under the file why a chosen file is refused, in the user’s language', async () => {
    session.apply(status());
    setLocale('en');
    let picked: string | null = null;
    const calls = fakeCore({
      backup_list: () => [daily],
      backup_settings: () => settings,
      backup_pick_file: () => picked,
      backup_restore_file: (a) => {
        if (String(a.path).endsWith('notes.txt'))
          throw validation([{ field: 'file', rule: 'unsupported_file', params: {} }]);
        throw validation([
          { field: 'file', rule: 'newer_version', params: { found: '9', supported: '5' } },
        ]);
      },
    });
    render(BackupSettings);
    await waitFor(() => expect(rows()).toHaveLength(1));

    // cancelled dialog: nothing to confirm
    await fireEvent.click(screen.getByTestId('backup-restore-file'));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'backup_pick_file')).toBe(true));
    expect(screen.queryByTestId('backup-confirm')).toBeNull();

    picked = '/media/usb/notes.txt';
    await fireEvent.click(screen.getByTestId('backup-restore-file'));
    await screen.findByTestId('backup-confirm');
    expect(screen.getByTestId('backup-confirm-file').textContent).toContain(picked);
    await fireEvent.click(screen.getByTestId('backup-confirm-restore'));
    const issue = await screen.findByTestId('field-error-file');
    expect(issue.textContent).toContain('not an After-Sales Desk backup');
    expect(issue.textContent).toContain('nothing was changed');
    expect(screen.queryByTestId('form-error')).toBeNull();
    expect(session.user).not.toBeNull();
    await fireEvent.click(screen.getByTestId('backup-confirm-cancel'));
    expect(screen.queryByTestId('backup-confirm')).toBeNull();

    picked = '/media/usb/desk-20300101T000000Z-manual.sqlite';
    await fireEvent.click(screen.getByTestId('backup-restore-file'));
    await fireEvent.click(await screen.findByTestId('backup-confirm-restore'));
    expect((await screen.findByTestId('field-error-file')).textContent).toContain(
      'data version 9; this one reads up to 5',
    );
  });

  it('explains a restore that could not replace the data', async () => {
    session.apply(status());
    fakeCore({
      backup_list: () => [daily],
      backup_settings: () => settings,
      backup_restore: () => {
        throw failure('io');
      },
    });
    render(BackupSettings);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('backup-restore'));
    await fireEvent.click(screen.getByTestId('backup-confirm-restore'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.textContent).toContain('当前数据保持不变');
    expect(screen.getByTestId('backup-confirm')).toBeTruthy();
  });

  it('checks how many backups are kept, here and in the core', async () => {
    session.apply(status());
    const calls = fakeCore({
      backup_list: () => [],
      backup_settings: () => settings,
      backup_set_keep: (a) => {
        if (Number(a.keep) > 365)
          throw validation([
            { field: 'keep', rule: 'out_of_range', params: { min: '1', max: '365' } },
          ]);
        return { ...settings, keep: a.keep };
      },
    });
    render(BackupSettings);
    expect(await screen.findByTestId('backup-empty')).toBeTruthy();
    const keep = screen.getByTestId('backup-keep');

    await fireEvent.input(keep, { target: { value: '7 份' } });
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    expect((await screen.findByTestId('field-error-keep')).textContent).toContain('整数');
    expect(calls.some((c) => c.cmd === 'backup_set_keep')).toBe(false);

    await fireEvent.input(keep, { target: { value: '999' } });
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    await waitFor(() =>
      expect(screen.getByTestId('field-error-keep').textContent).toContain('1 到 365'),
    );

    await fireEvent.input(keep, { target: { value: '30' } });
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    await screen.findByText('已保存。');
    expect(calls.filter((c) => c.cmd === 'backup_set_keep').map((c) => c.args)).toEqual([
      { keep: 999 },
      { keep: 30 },
    ]);
    expect(screen.queryByTestId('field-error-keep')).toBeNull();
  });

  it('is a settings section for the admin only', async () => {
    session.apply(status());
    fakeCore({
      backup_list: () => [daily],
      backup_settings: () => settings,
    });
    const admin = render(Settings, { section: 'backup' });
    expect(screen.getByTestId('settings-backup')).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(1));
    admin.unmount();

    session.apply(status({ user: { ...status().user!, role: 'supervisor' } }));
    fakeCore({ get_policy: () => ({}) });
    render(Settings, { section: 'backup' });
    expect(screen.queryByTestId('settings-backup')).toBeNull();
    expect(screen.queryByTestId('backup-settings')).toBeNull();
  });
});
