//! The application status as the core last reported it (site, signed-in user, language).
//! Every screen reads it from here; every command that returns an AppStatus applies it here.
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { Site } from '$lib/bindings/Site';
import * as api from '$lib/api/app';
import { onRejection } from '$lib/api/invoke';
import { setLocale } from '$lib/i18n/index.svelte';

class Session {
  status = $state<AppStatus | null>(null);

  get user() {
    return this.status?.user ?? null;
  }
  get site() {
    return this.status?.site ?? null;
  }
  get isAdmin() {
    return this.status?.user?.role === 'admin';
  }

  apply(status: AppStatus): void {
    this.status = status;
    setLocale(status.language);
  }

  async refresh(): Promise<AppStatus> {
    const status = await api.appStatus();
    this.apply(status);
    return status;
  }

  setSite(site: Site): void {
    if (this.status) this.status = { ...this.status, site };
  }
}

export const session = new Session();

// A command refused because the session ended (e.g. the user was deactivated): re-read the
// status, which brings the sign-in screen back.
onRejection((e) => {
  if (e.code === 'unauthenticated' && session.status?.user) {
    session.refresh().catch(() => {});
  }
});
