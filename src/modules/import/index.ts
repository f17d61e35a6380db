import type { Feature } from '../../feature';
import { importRules } from './import.policy';
import { importRoutes } from './import.routes';

/** Bulk import for city administrators, over every import kind the other features offer. */
export const importFeature: Feature = {
  name: 'import',
  rules: importRules,
  // Uploads are read raw (and larger than JSON bodies), so these routes mount before the JSON body parser.
  routes: (ctx) => ({ raw: [importRoutes(ctx)] }),
};
