import t from 'tap';
import { buildTestApp } from '../helpers/app.js';

const { app } = await buildTestApp(t);

// JSON read from answers: walked freely, checked by the assertions
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `$ref` anywhere in a document. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

t.test('the OpenAPI document describes the API, and only the API', async (t) => {
  const res = await app.inject({ url: '/api/openapi.json' });
  t.equal(res.statusCode, 200, 'no login needed');
  t.match(res.headers['content-type'], /^application\/json/);
  const doc: Json = res.json();
  t.match(doc.openapi, /^3\./, 'OpenAPI 3');
  t.ok(doc.info?.title, 'has a title');
  t.ok(doc.paths['/api/v1/organizations'], 'the list and create path');
  t.ok(doc.paths['/api/v1/organizations/{id}'], 'the one-organisation path');
  t.ok(doc.paths['/api/v1/organizations'].get && doc.paths['/api/v1/organizations'].post);
  t.ok(doc.paths['/api/v1/organizations/{id}'].get && doc.paths['/api/v1/organizations/{id}'].patch);

  const outside = Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'));
  t.same(outside, [], 'no HTML pages in the API document');

  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method];
      const name = `${method.toUpperCase()} ${path}`;
      const success = Object.entries<Json>(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
      t.ok(success.length > 0, `${name} has a success response`);
      for (const [code, response] of success) {
        t.ok(response.content?.['application/json']?.schema, `${name} ${code} has a JSON schema`);
      }
      for (const code of ['400', '401']) {
        t.ok(op.responses?.[code]?.content?.['application/json']?.schema, `${name} documents ${code}`);
      }
      if (method === 'post' || method === 'patch') t.ok(op.requestBody?.content?.['application/json']?.schema, `${name} has a request schema`);
    }
  }

  const create = doc.paths['/api/v1/organizations'].post;
  t.ok(create.responses['201'], 'create answers 201');
  const body = create.requestBody.content['application/json'].schema;
  t.same([...body.required].sort(), ['kind', 'name', 'regionCode'], 'required fields of a new organisation');
  t.ok(body.properties.kind.enum.includes('liaison_point'), 'the kinds are listed');

  for (const ref of new Set(refs(doc))) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    t.ok(m && doc.components?.schemas?.[m[1]], `${ref} resolves`);
  }
  t.ok(doc.components?.securitySchemes?.bearer, 'bearer auth is described');
});

t.test('the browsable docs open without a login', async (t) => {
  let res = await app.inject({ url: '/api/docs' });
  for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
    res = await app.inject({ url: new URL(String(res.headers.location), 'http://localhost/api/docs').pathname });
  }
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html/);
  t.match(res.body, /swagger/i, 'the Swagger UI page');
  // its scripts and styles come from our own origin and load
  const assets = [...res.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  t.ok(assets.length > 0, 'the page loads assets');
  for (const a of assets) {
    t.notMatch(a, /^https?:\/\//, `${a} is served by us`);
    const url = new URL(a, 'http://localhost/api/docs/').pathname;
    const asset = await app.inject({ url });
    t.equal(asset.statusCode, 200, `${url} loads`);
  }
});
