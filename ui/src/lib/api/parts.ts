//! Spare parts: the catalog, stock locations, the stock ledger (receipts after inspection,
//! transfers, returns to the factory) and what it adds up to. The core keeps stock from going
//! below zero and serials matching quantities; the screens only ask.
import { call } from './invoke';
import type { CatalogPartInput } from '$lib/bindings/CatalogPartInput';
import type { FactoryReturnInput } from '$lib/bindings/FactoryReturnInput';
import type { Inspection } from '$lib/bindings/Inspection';
import type { Location } from '$lib/bindings/Location';
import type { LocationInput } from '$lib/bindings/LocationInput';
import type { LowStock } from '$lib/bindings/LowStock';
import type { Movement } from '$lib/bindings/Movement';
import type { MovementFilter } from '$lib/bindings/MovementFilter';
import type { Part } from '$lib/bindings/Part';
import type { PartStock } from '$lib/bindings/PartStock';
import type { ReceiptInput } from '$lib/bindings/ReceiptInput';
import type { SiteTransfer } from '$lib/bindings/SiteTransfer';
import type { SiteTransferInput } from '$lib/bindings/SiteTransferInput';
import type { StockRow } from '$lib/bindings/StockRow';
import type { TransferInput } from '$lib/bindings/TransferInput';
import type { Usage } from '$lib/bindings/Usage';

export type { CatalogPartInput };

/** stock_movements pages are 0-based, 100 rows each, newest first. */
export const MOVEMENT_PAGE_SIZE = 100;
/** The usage windows offered for the low-stock purchase suggestion. */
export const LOW_STOCK_WINDOWS = [30, 90, 180] as const;

export const listParts = (query: string) => call<Part[]>('parts_list', { query });
export const createPart = (input: CatalogPartInput) => call<Part>('parts_create', { input });
export const updatePart = (id: string, rev: number, input: CatalogPartInput) =>
  call<Part>('parts_update', { id, rev, input });

export const listLocations = () => call<Location[]>('locations_list');
export const createLocation = (input: LocationInput) =>
  call<Location>('locations_create', { input });

/** passed=false records a failed inspection (goods back to the supplier, no stock). */
export const receive = (input: ReceiptInput) => call<Inspection>('stock_receive', { input });
export const transfer = (input: TransferInput) => call<null>('stock_transfer', { input });
export const returnToFactory = (input: FactoryReturnInput) =>
  call<null>('stock_factory_return', { input });

/** Parts sent to / received from other sites, newest first. */
export const listSiteTransfers = () => call<SiteTransfer[]>('transfers_list');
/** Sends stock to another site; the result carries the `reference` the other site confirms with. */
export const sendToSite = (input: SiteTransferInput) =>
  call<SiteTransfer>('transfers_send', { input });
/** Confirms stock received from another site, with the sender's `reference`. */
export const receiveFromSite = (input: SiteTransferInput) =>
  call<SiteTransfer>('transfers_receive', { input });

export const balance = (partId: string) => call<PartStock>('stock_balance', { partId });
/** Stock by location; null = every location. */
export const stockList = (locationId: string | null) =>
  call<StockRow[]>('stock_list', { locationId });
export const movements = (filter: MovementFilter) =>
  call<Movement[]>('stock_movements', { filter });
export const lowStock = (windowDays: number) => call<LowStock[]>('stock_low', { windowDays });

/** Catalog parts fitted to a customer's units (one unit when given). */
export const partsUsage = (customerId: string, unitId: string | null = null) =>
  call<Usage[]>('parts_usage', { customerId, unitId });
