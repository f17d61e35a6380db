import { buildTestApp, type TestApp } from '../test/helpers/app';
import { REQUEST_STATUSES } from './api-contract';
import { matchCategory } from './engine/flow-report';
import { categoryListText } from './engine/format-report';
import { AMENITY_LABELS, AMENITY_TITLES, CATEGORY_WORDS, CITY_LABELS, ROLE_LABELS } from './engine/labels';
import { parseIntent } from './engine/parse-intent';
import { DEFAULT_VOCABULARY } from './engine/vocabulary';

type Json = Record<string, unknown>;

/**
 * One vocabulary with the service (issue 11 item 7): the bot's words for amenities, merchant categories, roles, cities,
 * station and request states, and the hazard categories it reads at run time, checked against what the real service
 * publishes in /openapi.json and /api/v1/hazard-categories. A new value in the service fails here until the bot has words.
 */
describe('the bot speaks the service\'s vocabulary', () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    t = await buildTestApp();
    doc = (await t.http.get('/openapi.json')).body as Json;
  });
  afterAll(() => t.close());

  /** The enum at a path of keys in the document. */
  const enumAt = (...keys: Array<string | number>): string[] => {
    let node: unknown = doc;
    for (const k of keys) node = (node as Json | unknown[])[k as never];
    const values = (node as { enum?: string[] }).enum;
    if (!values) throw new Error(`no enum at ${keys.join('.')}`);
    return [...values].sort();
  };
  const nearbyItem = (path: string) => ['paths', path, 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'data', 'items', 'properties'];
  const param = (path: string, name: string): string[] => {
    const params = (((doc.paths as Json)[path] as Json).get as { parameters: Array<{ name: string; schema: { enum?: string[] } }> }).parameters;
    return [...(params.find((p) => p.name === name)?.schema.enum ?? [])].sort();
  };
  const keys = (o: object) => Object.keys(o).sort();

  it('has a label and a title for every amenity, and reads each label back as that amenity', () => {
    const amenities = enumAt(...nearbyItem('/api/v1/stations/nearby'), 'amenities', 'items');
    expect(keys(AMENITY_LABELS)).toEqual(amenities);
    expect(keys(AMENITY_TITLES)).toEqual(amenities);
    expect([...new Set(Object.values(DEFAULT_VOCABULARY.amenityWords))].sort()).toEqual(amenities);
    for (const a of amenities) {
      expect(parseIntent({ kind: 'text', text: `驿站 解放碑 ${AMENITY_LABELS[a as keyof typeof AMENITY_LABELS]}` })).toMatchObject({ amenities: [a] });
    }
  });

  it('has a word for every merchant category', () => {
    const categories = param('/api/v1/merchants/nearby', 'category');
    expect(keys(CATEGORY_WORDS)).toEqual(categories);
    expect([...new Set(Object.values(DEFAULT_VOCABULARY.merchantWords).filter(Boolean))].sort()).toEqual(categories.filter((c) => c !== '其他'));
  });

  it('names every role and city', () => {
    expect(keys(ROLE_LABELS)).toEqual(enumAt('paths', '/api/v1/auth/dev', 'post', 'requestBody', 'content', 'application/json', 'schema', 'properties', 'role'));
    expect(keys(CITY_LABELS)).toEqual(param('/api/v1/stations/nearby', 'city'));
  });

  it('sends only station states the service accepts, and knows every state it answers', () => {
    const accepted = enumAt('paths', '/api/v1/stations/{id}/status', 'put', 'requestBody', 'content', 'application/json', 'schema', 'properties', 'status');
    expect(accepted).toEqual(expect.arrayContaining(['open', 'temporarily_closed']));
    expect(enumAt(...nearbyItem('/api/v1/stations/nearby'), 'status')).toEqual(['closed', 'open', 'temporarily_closed']);
  });

  it('knows every state of an access request', () => {
    const request = ['paths', '/api/v1/access-requests', 'post', 'responses', '201', 'content', 'application/json', 'schema', 'properties', 'data', 'properties', 'request', 'properties', 'status'];
    expect([...REQUEST_STATUSES].sort()).toEqual(enumAt(...request));
  });

  it('lists every hazard category the service has, and reads each name back as its category', async () => {
    const res = await t.http.get('/api/v1/hazard-categories');
    const categories = res.body.data as Array<{ code: string; name: string; keywords: string[] }>;
    expect(categories.map((c) => c.code).sort()).toEqual(param('/api/v1/hazards/nearby', 'category'));
    const list = categoryListText(categories, false);
    categories.forEach((c, i) => {
      expect(list).toContain(`\n${i + 1}. ${c.name}\n`);
      expect(matchCategory(c.name, categories)?.code).toBe(c.code);
    });
  });
});
