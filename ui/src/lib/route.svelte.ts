// Screens are named by the URL's hash (#/record/ID?q=…), so the same build
// works from any base URL, the desktop app's custom scheme included, and a
// screen can be bookmarked or reloaded.

export interface Route {
  path: string[];
  params: URLSearchParams;
}

function parse(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?', 2);
  return {
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(query),
  };
}

class Router {
  current = $state<Route>(parse());

  constructor() {
    addEventListener('hashchange', () => {
      this.current = parse();
    });
  }

  go(path: string, params: Record<string, string | number | undefined> = {}): void {
    const qs = Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    location.hash = `#/${path}${qs ? `?${qs}` : ''}`;
  }
}

export const router = new Router();
