//! Backups of the database: the list, back up now, how many are kept, restore (a listed backup
//! or a file chosen in the system's open dialog) and the backups folder. Admin only.
import { call } from './invoke';
import type { BackupInfo } from '$lib/bindings/BackupInfo';
import type { BackupSettings } from '$lib/bindings/BackupSettings';
import type { Restored } from '$lib/bindings/Restored';

export const listBackups = () => call<BackupInfo[]>('backup_list');
export const createBackup = () => call<BackupInfo>('backup_create');
export const backupSettings = () => call<BackupSettings>('backup_settings');
export const setBackupKeep = (keep: number) => call<BackupSettings>('backup_set_keep', { keep });
/** Ends the session: re-read the status afterwards (the app returns to sign-in). */
export const restoreBackup = (fileName: string) => call<Restored>('backup_restore', { fileName });
export const restoreBackupFile = (path: string) => call<Restored>('backup_restore_file', { path });
/** The system's open dialog, in the backups folder; null when cancelled. */
export const pickBackupFile = () => call<string | null>('backup_pick_file');
export const openBackupFolder = () => call<string>('backup_open_folder');
