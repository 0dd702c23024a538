//! Demo data for an empty archive (admin only).
import { call } from './invoke';
import type { DemoSummary } from '$lib/bindings/DemoSummary';

export const loadDemoData = () => call<DemoSummary>('load_demo_data');
