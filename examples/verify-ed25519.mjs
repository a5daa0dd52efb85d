// Verifies a Maitred webhook signed with `signing: "ed25519"` (Standard Webhooks v1a), node:crypto only (Node 18+).
import { createPublicKey, verify } from 'node:crypto';
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex'); // DER prefix before the raw 32-byte key
export function verifyEd25519(publicKey /* whpk_… */, headers, rawBody /* Buffer or string, as received */) {
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64')]), format: 'der', type: 'spki' });
  const id = headers['webhook-id'], timestamp = headers['webhook-timestamp'];
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) throw new Error('timestamp too far from now'); // replay guard
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(rawBody)]);
  const ok = String(headers['webhook-signature']).split(' ').some((s) => s.startsWith('v1a,') && verify(null, signed, key, Buffer.from(s.slice(4), 'base64')));
  if (!ok) throw new Error('no valid v1a signature');
  return JSON.parse(Buffer.from(rawBody).toString('utf8'));
}
