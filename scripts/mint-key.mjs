#!/usr/bin/env node
// Mints an API key and the record that goes into the API_KEYS secret (which holds hashes only, never keys).
//
//   node scripts/mint-key.mjs --tenant acme --scopes adl:compute,fund:read [--id acme-2026-11]
//        [--rate-limit standard|bulk] [--not-after 2027-01-31T00:00:00Z] [--add-to keys.json]
//   node scripts/mint-key.mjs --hash <existing key>      (the record hash of a key you already have)
//
// The key is printed once, to stdout; hand it to the exchange over a secure channel and do not store it. With
// --add-to the record is appended to a JSON file of records (create it outside the repo, keep it private: the
// records are not keys, but they say who has which scopes); then publish the whole list:
//   npx wrangler secret put API_KEYS < keys.json
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const SCOPES = ["adl:compute", "fund:read", "fund:write", "liquidations:write", "simulations:run", "simulations:read", "webhooks:write"];
const TIERS = ["standard", "bulk"];
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (msg) => {
  console.error(`mint-key: ${msg}`);
  process.exit(2);
};
const hashOf = (key) => `sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;

const existing = opt("hash");
if (existing !== undefined) {
  console.log(hashOf(existing));
  process.exit(0);
}

const tenant = opt("tenant");
if (!tenant || !TENANT.test(tenant)) fail("--tenant is required: 1-64 of [A-Za-z0-9_-]");
const scopes = (opt("scopes") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
if (scopes.length === 0 || !scopes.every((s) => SCOPES.includes(s))) fail(`--scopes: comma-separated, from ${SCOPES.join(", ")}`);
const id = opt("id") ?? `${tenant}-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
if (!ID.test(id)) fail("--id: 1-64 of [A-Za-z0-9._-]");
const rateLimit = opt("rate-limit") ?? "standard";
if (!TIERS.includes(rateLimit)) fail(`--rate-limit: one of ${TIERS.join(", ")}`);
const notAfter = opt("not-after");
if (notAfter !== undefined && Number.isNaN(Date.parse(notAfter))) fail("--not-after: an ISO 8601 timestamp");

// 256 random bits; the prefix lets secret scanners and people recognise the key.
const key = `adl_${randomBytes(32).toString("base64url")}`;
const record = { id, tenant, scopes, rateLimit, hash: hashOf(key), ...(notAfter ? { notAfter: new Date(notAfter).toISOString() } : {}) };

const file = opt("add-to");
if (file) {
  const list = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  if (!Array.isArray(list)) fail(`${file} must hold a JSON array of records`);
  if (list.some((r) => r.id === id)) fail(`${file} already has a record with id ${id}`);
  list.push(record);
  writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
}

console.log(`API key (shown once; give it to ${tenant}, do not store it):\n  ${key}\n`);
console.log(`API_KEYS record:\n  ${JSON.stringify(record)}\n`);
console.log(
  file
    ? `Appended to ${file}. Publish the whole list:\n  npx wrangler secret put API_KEYS < ${file}`
    : "Add the record to your list of records (a JSON array), then publish it:\n  npx wrangler secret put API_KEYS < keys.json",
);
