//! Issued documents: the stored PDF (raw bytes), void, print through the system viewer,
//! save as, and scans of the signed paper sent as raw request bodies.
import { call, callRaw } from './invoke';
import type { Document } from '$lib/bindings/Document';
import type { ScanCheck } from '$lib/bindings/ScanCheck';
import type { ScanInfo } from '$lib/bindings/ScanInfo';

export const getDocument = (id: string) => call<Document>('doc_get', { id });
/** The stored bytes, unchanged (Tauri hands a raw response over as an ArrayBuffer). */
export const documentPdf = (id: string) => call<ArrayBuffer>('doc_pdf', { id });
export const voidDocument = (id: string, reason: string) =>
  call<Document>('doc_void', { id, reason });
/** Writes the PDF to the cache folder and opens the system viewer (to print); its path. */
export const openDocument = (id: string) => call<string>('doc_open', { id });
/** The system save dialog; the chosen path, or null when the dialog was cancelled. */
export const saveDocumentAs = (id: string) => call<string | null>('doc_save_as', { id });

/** Reads the QR code on a scan without storing anything. */
export const checkScan = (documentId: string, bytes: Uint8Array) =>
  callRaw<ScanCheck>('doc_check_scan', bytes, { 'document-id': documentId });

export const attachScan = (
  documentId: string,
  fileName: string,
  bytes: Uint8Array,
  acceptMismatch: boolean,
) =>
  callRaw<ScanInfo>('doc_attach_scan', bytes, {
    'document-id': documentId,
    // Header values are ASCII; the shell percent-decodes it.
    'file-name': encodeURIComponent(fileName),
    'accept-mismatch': acceptMismatch ? 'true' : 'false',
  });
