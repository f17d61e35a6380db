#!/usr/bin/env node
// Run after `npm install` changes the lock file (npm run lock:fix).
//
// The registry our machines reach serves only the Linux builds of packages that ship per-platform binaries as
// optional dependencies (@swc/core-*, @unrs/resolver-binding-*); the others answer 404, so `npm install` leaves
// them out of package-lock.json and `npm ci` then refuses the lock as out of sync. This adds the missing entries
// with the os/cpu/libc restrictions their names state, as a full registry would have: `npm ci` skips them on
// Linux, and npm on macOS or Windows fetches its own platform's build as usual.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const PLATFORM = /-(android|darwin|freebsd|linux|win32|openharmony|sunos|aix|netbsd|openbsd)-(arm64|x64|ia32|arm|ppc64|s390x|loong64|riscv64|mips64el)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?$/;

let added = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${where ? `${where}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const m = PLATFORM.exec(name);
    if (!m) throw new Error(`${name}: optional dependency missing from the lock and not a platform build; run npm install`);
    const [, os, cpu, abi] = m;
    const libc = abi?.startsWith('gnu') ? ['glibc'] : abi?.startsWith('musl') ? ['musl'] : undefined;
    lock.packages[`node_modules/${name}`] = {
      version, ...(pkg.dev ? { dev: true } : {}), optional: true, os: [os], cpu: [cpu], ...(libc ? { libc } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries to package-lock.json`);
