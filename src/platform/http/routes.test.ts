import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, cookiesFrom, csrfFrom, type TestApp } from '../../../test/support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ config: { rateLimitPerMinute: 5 } });
});
after(async () => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

test('the home page is in Korean by default, with the official banner, skip link, search, menu and footer', async () => {
  const res = await get('/');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /^<!doctype html><html lang="ko">/);
  assert.match(res.body, /이 누리집은 대한민국 공식 전자정부 누리집입니다/);
  assert.match(res.body, /<a href="#main">본문 바로가기<\/a>/);
  assert.match(res.body, /<main id="main"/);
  assert.match(res.body, /role="search"/);
  assert.match(res.body, /aria-label="주 메뉴"/);
  assert.match(res.body, /행정안전부/, 'footer lists agency contacts');
  assert.match(res.body, /href="\/sign-in"/);
});

test('English is chosen by Accept-Language', async () => {
  const res = await get('/', { 'accept-language': 'en-GB,en;q=0.9' });
  assert.match(res.body, /<html lang="en">/);
  assert.match(res.body, /Skip to main content/);
  assert.match(res.body, /Ministry of the Interior and Safety/);
});

test('?lang=en switches the language and a cookie remembers it on the next page', async () => {
  const first = await get('/?lang=en');
  assert.match(first.body, /<html lang="en">/);
  const cookie = first.cookies.find((c) => c.name === 'nara_lang');
  assert.equal(cookie?.value, 'en');
  assert.equal(cookie?.httpOnly, true);
  const next = await get('/agencies', { cookie: cookiesFrom(first), 'accept-language': 'ko' });
  assert.match(next.body, /<html lang="en">/);
  const back = await get('/agencies?lang=ko', { cookie: cookiesFrom(first) });
  assert.match(back.body, /<html lang="ko">/);
});

test('the language switcher links keep the current page and its query', async () => {
  const res = await get('/search?q=%EC%84%9C%EC%9A%B8');
  assert.match(res.body, /href="\/search\?q=%EC%84%9C%EC%9A%B8&amp;lang=en"/);
});

test('pages are served with a strict content security policy and other security headers', async () => {
  const res = await get('/');
  const csp = res.headers['content-security-policy'] as string;
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(res.headers['referrer-policy']);
});

test('every response carries a request id, and a given one is kept', async () => {
  const res = await get('/');
  assert.match(res.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  const given = await get('/healthz', { 'x-request-id': 'lb-12345678' });
  assert.equal(given.headers['x-request-id'], 'lb-12345678');
});

test('an unknown page is a 404 page in the reader language, with the request id', async () => {
  const ko = await get('/no/such/page');
  assert.equal(ko.statusCode, 404);
  assert.match(ko.body, /요청하신 페이지를 찾을 수 없습니다/);
  assert.ok(ko.body.includes(ko.headers['x-request-id'] as string));
  const en = await get('/no/such/page', { 'accept-language': 'en' });
  assert.match(en.body, /We could not find that page/);
});

test('an API client gets errors as JSON with a stable code', async () => {
  const res = await get('/api/v1/nothing-here');
  assert.equal(res.statusCode, 404);
  assert.deepEqual(Object.keys(res.json().error).sort(), ['code', 'message', 'requestId']);
  assert.equal(res.json().error.code, 'NOT_FOUND');
});

test('KRDS styles, scripts and Pretendard GOV fonts are served by Nara itself', async () => {
  const home = await get('/');
  for (const asset of ['/assets/krds/css/common/common.css', '/assets/krds/css/component/component.css', '/assets/krds/js/component/ui-script.js', '/assets/nara.css']) {
    assert.ok(home.body.includes(asset) || asset.includes('fonts'), `${asset} linked`);
    const res = await get(asset);
    assert.equal(res.statusCode, 200, asset);
  }
  const font = await get('/assets/krds/fonts/PretendardGOV-Regular.subset.woff2');
  assert.equal(font.statusCode, 200);
  assert.doesNotMatch(home.body, /https?:\/\/(?!localhost)[^"']*\.(css|js|woff2?)/, 'nothing from a CDN');
});

test('a form without its CSRF token is refused and explains why', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/sign-in', payload: { username: 'x', password: 'y' } });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /보안 확인 시간이 지났습니다/);
  const page = await get('/sign-in');
  const wrong = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookiesFrom(page) }, payload: { username: 'x', password: 'y', _csrf: 'forged' } });
  assert.equal(wrong.statusCode, 403);
  const right = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookiesFrom(page) }, payload: { username: 'x', password: 'y', _csrf: csrfFrom(page.body) } });
  assert.notEqual(right.statusCode, 403);
});

test('reading pages needs no session: an anonymous visitor gets no session cookie', async () => {
  const res = await get('/');
  assert.equal(res.cookies.find((c) => c.name === 'nara_sid'), undefined);
});

test('too many form posts from one address are slowed down with 429 and Retry-After', async () => {
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 8; i++) {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '203.0.113.9', payload: {} });
    statuses.push(res.statusCode);
    if (res.statusCode === 429) retryAfter = res.headers['retry-after'] as string;
  }
  assert.ok(statuses.slice(0, 5).every((s) => s !== 429), `first five allowed: ${statuses}`);
  assert.equal(statuses.at(-1), 429);
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
  const other = await t.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '203.0.113.10', payload: {} });
  assert.notEqual(other.statusCode, 429, 'another address is not affected');
});

test('/healthz says the process is up', async () => {
  const res = await get('/healthz');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 'ok');
});

test('/readyz reports the database and migrations ready', async () => {
  const res = await get('/readyz');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 'ready');
  assert.equal(res.json().checks.migrations.ok, true);
});

test('/readyz answers 503 when a migration is pending', async () => {
  await t.database.db.deleteFrom('schema_migrations').where('id', '=', 'notifications/001-notifications').execute();
  try {
    const res = await get('/readyz');
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().status, 'not-ready');
    assert.match(res.json().checks.migrations.detail, /notifications\/001-notifications/);
  } finally {
    const { loadMigrations } = await import('../db/migrate.ts');
    const { migrationSources } = await import('../../app.ts');
    const m = loadMigrations(migrationSources).find((x) => x.id === 'notifications/001-notifications')!;
    await t.database.db.insertInto('schema_migrations').values({ id: m.id, checksum: m.checksum }).execute();
  }
});

test('/metrics exposes request counts and durations per route, event-loop lag and the database pool', async () => {
  await get('/');
  await get('/agencies');
  const res = await get('/metrics');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/plain/);
  assert.match(res.body, /http_requests_total\{method="GET",route="\/",status="200"\} \d+/);
  assert.match(res.body, /http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/agencies"\}/);
  assert.match(res.body, /nodejs_eventloop_lag_seconds/);
  assert.match(res.body, /db_pool_connections\{state="total"\}/);
});

test('/api/openapi.json is an OpenAPI 3.1 document built from the route schemas', async () => {
  const res = await get('/api/openapi.json');
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/api/v1/agencies'].get.responses['200'].content['application/json'].schema);
  assert.ok(doc.paths['/readyz'].get);
  assert.equal(doc.paths['/sign-in'], undefined, 'pages are not API');
});

test('/api/docs is a readable API reference page', async () => {
  const res = await get('/api/docs/');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /swagger/i);
});

test('the agencies API returns the directory in the language asked for', async () => {
  const res = await get('/api/v1/agencies?lang=en');
  assert.equal(res.statusCode, 200);
  const agencies = res.json().agencies as Array<{ code: string; name: string; departments: unknown[] }>;
  assert.ok(agencies.length >= 6);
  assert.ok(agencies.some((a) => a.name === 'Public Procurement Service' && a.departments.length > 0));
});

test('search finds agencies and departments by their Korean or English name', async () => {
  const res = await get('/search?q=customs', { 'accept-language': 'ko' });
  assert.match(res.body, /관세청/);
  const dept = await get('/search?q=%EA%B1%B4%EC%B6%95', { 'accept-language': 'en' }); // 건축
  assert.match(dept.body, /Building Permits Division/);
  const none = await get('/search?q=zzzz');
  assert.match(none.body, /검색 결과가 없습니다/);
});

test('every link in the header, menu and footer leads to a page that exists, in both languages', async () => {
  for (const lang of ['ko', 'en']) {
    const home = await get(`/?lang=${lang}`);
    const hrefs = [...new Set([...home.body.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')))].filter((h) => !h.startsWith('/assets/'));
    assert.ok(hrefs.length >= 8, `found ${hrefs.length} links`);
    for (const href of hrefs) {
      const res = await get(href);
      assert.ok(res.statusCode === 200 || res.statusCode === 302, `${href} answered ${res.statusCode}`);
    }
  }
});

test('the status page tells the public whether services run normally', async () => {
  const res = await get('/status?lang=en');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /All services are running normally/);
});

test('without declared load balancers a client cannot choose its address with X-Forwarded-For', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': `192.0.2.${i}` }, payload: {} });
    statuses.push(res.statusCode);
  }
  assert.equal(statuses.at(-1), 429, `rotating X-Forwarded-For did not escape the limit: ${statuses}`);
});

test('behind a declared load balancer each client is limited by its own forwarded address', async () => {
  const behind = await testApp({ seed: false, config: { rateLimitPerMinute: 2, trustProxy: '10.0.0.0/8' } });
  try {
    const post = (client: string) => behind.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': client }, payload: {} });
    for (let i = 0; i < 3; i++) await post('192.0.2.50');
    assert.equal((await post('192.0.2.50')).statusCode, 429);
    assert.notEqual((await post('192.0.2.51')).statusCode, 429, 'another client behind the same balancer is not limited');
  } finally {
    await behind.close();
  }
});
