// npm run admin:create -- <username> <chongqing|chengdu> [display name]
// Creates a city administrator in the configured store (embedded, or MongoDB when MONGODB_URI is set).
// The password comes from ADMIN_PASSWORD, or a strong one is generated and printed once.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/shared/config';
import { openStorage } from '../src/storage';
import { CITIES, City } from '../src/shared/domain';
import { createCityAdmin } from '../src/modules/identity/bootstrap';

async function main(): Promise<void> {
  const [username, city, displayName] = process.argv.slice(2);
  if (!username || !CITIES.includes(city as City)) {
    console.error('usage: npm run admin:create -- <username> <chongqing|chengdu> [display name]');
    process.exit(64);
  }
  const password = process.env.ADMIN_PASSWORD || `${randomBytes(12).toString('base64url')}9a`;
  const storage = await openStorage(loadConfig());
  try {
    const { created, staff } = await createCityAdmin(storage, { username, password, city: city as City, displayName }, new Date());
    if (!created) {
      console.error(`username ${staff.username} exists already; nothing changed`);
      process.exitCode = 1;
      return;
    }
    console.log(`created city_admin ${staff.username} (${staff.city}), id ${staff.id}`);
    if (!process.env.ADMIN_PASSWORD) console.log(`password (shown once): ${password}`);
  } finally {
    await storage.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
