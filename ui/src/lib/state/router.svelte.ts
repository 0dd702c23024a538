//! Screens are addressed by the URL hash (#/customers/…), so a reload in development keeps
//! the screen and every link is a real link (middle-click aside, there are no dead ends).

/** The data exchange section's tabs: export/import, history, conflicts, the network. */
export type ExchangeTab = 'transfer' | 'history' | 'conflicts' | 'network';
export const EXCHANGE_TABS: readonly ExchangeTab[] = [
  'transfer',
  'history',
  'conflicts',
  'network',
];
export type SettingsSection = 'site' | 'policy' | 'sla' | 'calendar' | 'users' | 'backup';
const SECTIONS: readonly SettingsSection[] = [
  'site',
  'policy',
  'sla',
  'calendar',
  'users',
  'backup',
];
export type Route =
  | { name: 'customers'; q: string }
  | { name: 'customerNew' }
  | { name: 'customer'; id: string }
  | { name: 'customerEdit'; id: string }
  | { name: 'models' }
  | { name: 'settings'; section: SettingsSection }
  /** `customer` preselects an archived customer (from the customer page). */
  | { name: 'intake'; customer: string }
  | { name: 'workOrders' }
  | { name: 'workOrder'; id: string }
  | { name: 'parts'; q: string }
  | { name: 'part'; id: string }
  /** `location` = '' for every location. */
  | { name: 'stock'; location: string }
  | { name: 'movements' }
  | { name: 'lowStock' }
  | { name: 'stocktakes' }
  | { name: 'stocktake'; id: string }
  | { name: 'scrap' }
  | { name: 'transfers' }
  | { name: 'approvals' }
  /** The complaints board (the section's first screen). */
  | { name: 'complaintBoard' }
  /** `customer` preselects an archived customer (from the customer page). */
  | { name: 'complaintNew'; customer: string }
  | { name: 'complaints' }
  | { name: 'complaintEscalations' }
  | { name: 'complaintKpis' }
  | { name: 'complaint'; id: string }
  | { name: 'exchange'; tab: ExchangeTab };

export const HOME: Route = { name: 'customers', q: '' };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'customers':
      if (parts[1] === 'new') return { name: 'customerNew' };
      if (parts[1] && parts[2] === 'edit') return { name: 'customerEdit', id: parts[1] };
      if (parts[1]) return { name: 'customer', id: parts[1] };
      return { name: 'customers', q: params.get('q') ?? '' };
    case 'models':
      return { name: 'models' };
    case 'intake':
      return { name: 'intake', customer: params.get('customer') ?? '' };
    case 'work-orders':
      if (parts[1]) return { name: 'workOrder', id: parts[1] };
      return { name: 'workOrders' };
    case 'parts':
      if (parts[1]) return { name: 'part', id: parts[1] };
      return { name: 'parts', q: params.get('q') ?? '' };
    case 'stock':
      if (parts[1] === 'movements') return { name: 'movements' };
      if (parts[1] === 'low') return { name: 'lowStock' };
      if (parts[1] === 'stocktakes' && parts[2]) return { name: 'stocktake', id: parts[2] };
      if (parts[1] === 'stocktakes') return { name: 'stocktakes' };
      if (parts[1] === 'scrap') return { name: 'scrap' };
      if (parts[1] === 'transfers') return { name: 'transfers' };
      return { name: 'stock', location: params.get('location') ?? '' };
    case 'approvals':
      return { name: 'approvals' };
    case 'complaints':
      if (parts[1] === 'new')
        return { name: 'complaintNew', customer: params.get('customer') ?? '' };
      if (parts[1] === 'list') return { name: 'complaints' };
      if (parts[1] === 'escalations') return { name: 'complaintEscalations' };
      if (parts[1] === 'kpis') return { name: 'complaintKpis' };
      if (parts[1]) return { name: 'complaint', id: parts[1] };
      return { name: 'complaintBoard' };
    case 'exchange': {
      const tab = parts[1] as ExchangeTab;
      return { name: 'exchange', tab: EXCHANGE_TABS.includes(tab) ? tab : 'transfer' };
    }
    case 'settings': {
      const s = parts[1] as SettingsSection;
      return { name: 'settings', section: SECTIONS.includes(s) ? s : 'site' };
    }
    default:
      return HOME;
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'customers':
      return route.q ? `#/customers?q=${encodeURIComponent(route.q)}` : '#/customers';
    case 'customerNew':
      return '#/customers/new';
    case 'customer':
      return `#/customers/${encodeURIComponent(route.id)}`;
    case 'customerEdit':
      return `#/customers/${encodeURIComponent(route.id)}/edit`;
    case 'models':
      return '#/models';
    case 'settings':
      return `#/settings/${route.section}`;
    case 'intake':
      return route.customer
        ? `#/intake?customer=${encodeURIComponent(route.customer)}`
        : '#/intake';
    case 'workOrders':
      return '#/work-orders';
    case 'workOrder':
      return `#/work-orders/${encodeURIComponent(route.id)}`;
    case 'parts':
      return route.q ? `#/parts?q=${encodeURIComponent(route.q)}` : '#/parts';
    case 'part':
      return `#/parts/${encodeURIComponent(route.id)}`;
    case 'stock':
      return route.location ? `#/stock?location=${encodeURIComponent(route.location)}` : '#/stock';
    case 'movements':
      return '#/stock/movements';
    case 'lowStock':
      return '#/stock/low';
    case 'stocktakes':
      return '#/stock/stocktakes';
    case 'stocktake':
      return `#/stock/stocktakes/${encodeURIComponent(route.id)}`;
    case 'scrap':
      return '#/stock/scrap';
    case 'transfers':
      return '#/stock/transfers';
    case 'approvals':
      return '#/approvals';
    case 'complaintBoard':
      return '#/complaints';
    case 'complaintNew':
      return route.customer
        ? `#/complaints/new?customer=${encodeURIComponent(route.customer)}`
        : '#/complaints/new';
    case 'complaints':
      return '#/complaints/list';
    case 'complaintEscalations':
      return '#/complaints/escalations';
    case 'complaintKpis':
      return '#/complaints/kpis';
    case 'complaint':
      return `#/complaints/${encodeURIComponent(route.id)}`;
    case 'exchange':
      return `#/exchange/${route.tab}`;
  }
}

class Router {
  route = $state<Route>(typeof location === 'undefined' ? HOME : parseRoute(location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        this.route = parseRoute(location.hash);
      });
    }
  }

  go(route: Route, opts: { replace?: boolean } = {}): void {
    const target = href(route);
    if (location.hash !== target) {
      if (opts.replace) history.replaceState(null, '', target);
      else history.pushState(null, '', target);
    }
    this.route = route;
  }
}

export const router = new Router();
