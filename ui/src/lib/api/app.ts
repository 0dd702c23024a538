//! Application status, first-run setup, session, language, site profile and policy.
import { call } from './invoke';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { KnownSite } from '$lib/bindings/KnownSite';
import type { SetupInput } from '$lib/bindings/SetupInput';
import type { Language } from '$lib/bindings/Language';
import type { Site } from '$lib/bindings/Site';
import type { SiteInput } from '$lib/bindings/SiteInput';
import type { Policy } from '$lib/bindings/Policy';
import type { PolicyInput } from '$lib/bindings/PolicyInput';

export const appStatus = () => call<AppStatus>('app_status');
export const setup = (input: SetupInput) => call<AppStatus>('setup', { input });
export const signIn = (username: string, password: string) =>
  call<AppStatus>('sign_in', { username, password });
export const signOut = () => call<AppStatus>('sign_out');
export const setLanguage = (language: Language) => call<AppStatus>('set_language', { language });
export const updateSite = (rev: number, input: SiteInput) =>
  call<Site>('update_site', { rev, input });
/** The sites whose records this database holds: this one first, then the imported ones. */
export const listSites = () => call<KnownSite[]>('list_sites');
export const getPolicy = () => call<Policy>('get_policy');
export const updatePolicy = (rev: number, input: PolicyInput) =>
  call<Policy>('update_policy', { rev, input });
export const uiReady = () => call<null>('ui_ready');
