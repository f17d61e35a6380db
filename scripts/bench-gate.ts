// The gate check at city scale: POST /api/v1/gates/verify with valid codes against 20k compounds and 200k active
// passes on the embedded store, next to a bare Koa route answering a body of the same size, in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedStorage } from '../src/storage/embedded';
import { createSealer } from '../src/shared/sealed';
import { newId } from '../src/storage/ids';
import { generateDemoCompounds } from '../src/modules/compounds/demo-compounds';
import { hashDeviceToken } from '../src/modules/compounds/gate.service';
import { newPassSecret, passCode } from '../src/modules/compounds/pass-code';

export const BENCH_SECRETS_KEY = 'bench-secrets-key-0123456789abcdef0123456789';
const DAY_MS = 86_400_000;

export interface GateSeed {
  dir: string;
  /** Fresh request bodies and headers (codes valid for the next 30-60 s). */
  requests(): Array<{ method: 'POST'; path: string; headers: Record<string, string>; body: string }>;
}

/** 20k compounds (10k per city), 10 passes each, and one gate device at each of the first 100 compounds. */
export async function seedGates(compounds = 20_000, passesPer = 10, devices = 100): Promise<GateSeed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-bench-gates-'));
  const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
  const sealer = createSealer(BENCH_SECRETS_KEY);
  const now = new Date();
  const t0 = Date.now();
  await storage.compounds.upsertMany(generateDemoCompounds(compounds / 2, 7).map((c) => ({ ...c, policy: { ...c.policy, rules: { ...c.policy.rules, hours: null } } })), now);
  const all = await storage.compounds.list({ limit: 50 });
  const ids: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await storage.compounds.list({ limit: 50, after });
    if (!page.length) break;
    ids.push(...page.map((c) => c.id));
    after = page[page.length - 1]?.id;
  }
  void all;
  const { rider } = await storage.riders.findOrCreateByOpenid('bench-rider', null, now, { displayName: '压测骑手', city: 'chongqing' });
  const known: Array<{ compoundId: string; token: string; number: number; secret: string }> = [];
  await storage.atomically(async () => {
    for (const [i, compoundId] of ids.entries()) {
      for (let k = 0; k < passesPer; k++) {
        const id = newId();
        const secret = newPassSecret();
        const pass = await storage.passes.create({
          id, compoundId, city: 'chongqing', riderId: rider.id, requestId: newId(), validFrom: now, validTo: new Date(now.getTime() + 30 * DAY_MS),
          hours: null, secretSealed: sealer.seal(secret, id), status: 'active', revokedAt: null, revokedBy: null, revokeReason: null,
          expiryNoticeAt: null, createdAt: now, updatedAt: now,
        });
        if (i < devices) known.push({ compoundId, token: `gd_bench_${i}`, number: pass.number, secret });
      }
    }
    for (let i = 0; i < devices && i < ids.length; i++) {
      await storage.gateDevices.create({
        id: newId(), compoundId: ids[i] as string, city: 'chongqing', name: `压测闸机 ${i}`, tokenHash: hashDeviceToken(`gd_bench_${i}`),
        createdBy: 'bench', createdAt: now, revokedAt: null,
      });
    }
  });
  console.log(`seeded ${ids.length} compounds and ${ids.length * passesPer} passes in ${Date.now() - t0} ms`);
  await storage.close();
  return {
    dir,
    requests: () => known.map((k) => ({
      method: 'POST' as const,
      path: '/api/v1/gates/verify',
      headers: { 'content-type': 'application/json', 'x-gate-device-token': k.token },
      body: JSON.stringify({ compoundId: k.compoundId, gateId: 'east', code: passCode(k.secret, k.number, new Date()).code }),
    })),
  };
}

/** A gate answer of the usual size, for the bare baseline. */
export const GATE_ANSWER = {
  data: {
    allowed: true, reason: 'ok', message: '允许进入',
    rider: { displayName: '压测骑手', platform: null, maskedPhone: null, verificationLevel: 'none' },
    pass: { id: '6650a1b2c3d4e5f601234567', number: 3, validTo: '2026-12-31T04:00:00.000Z' }, entryId: '6650a1b2c3d4e5f601234568',
  },
};
