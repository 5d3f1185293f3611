// rediss:// URLs: a private redis-server listening with TLS, its certificate from a CA
// of the test's own. Adapters built from the URL alone run a task end to end once Node
// trusts that CA (NODE_EXTRA_CA_CERTS), by host name and by IP address; without it the
// certificate is refused, never skipped and never traded for plaintext.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisClient } from '@stem/redis';
import { freePort } from '@stem/testing';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRedisServer } from './support/start-redis-server';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
let server: LocalRedisServer | undefined;
let certDir = '';
let tlsPort = 0;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'stem-redis-tls-'));
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'stem test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await writeFile(join(certDir, 'cert.pem'), pems.cert);
  await writeFile(join(certDir, 'key.pem'), pems.private);
  tlsPort = await freePort();
  server = await LocalRedisServer.start({
    args: [
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      join(certDir, 'cert.pem'),
      '--tls-key-file',
      join(certDir, 'key.pem'),
      '--tls-ca-cert-file',
      join(certDir, 'cert.pem'),
      '--tls-auth-clients',
      'no',
    ],
  });
}, 30_000);
afterAll(async () => {
  await server?.stop();
  if (certDir !== '') await rm(certDir, { recursive: true, force: true });
});

/** Runs the round-trip child against `url`, trusting the test CA; resolves to its output. */
function runRoundTrip(url: string): Promise<{ code: number | null; output: string }> {
  const args = ['--import', 'tsx', '--import', fixture('lua-text-loader.mjs')];
  args.push(fixture('tls-round-trip.ts'), url, `stem-tls-${tlsPort}`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: 'tsconfig.base.json',
      NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/**
 * The first connection error of a client built from `url`, 'connected', or 'no answer'
 * after 2 s (a plaintext server waits for a command while the client waits for a TLS
 * handshake; ioredis gives up only after its 10 s connect timeout).
 */
async function firstConnectionOutcome(url: string): Promise<string> {
  const client = createRedisClient(url);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string>((resolve) => {
      client.once('error', (error: Error) => resolve(error.message));
      client.once('ready', () => resolve('connected'));
      timer = setTimeout(() => resolve('no answer'), 2_000);
    });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

describe('a rediss:// URL', () => {
  it(
    'runs a task end to end over TLS by host name and by IP address once the CA is trusted',
    { timeout: 60_000 },
    async () => {
      for (const host of ['localhost', '127.0.0.1']) {
        const { code, output } = await runRoundTrip(`rediss://${host}:${tlsPort}`);
        expect(output, `over rediss://${host}`).toContain('tls round trip 42');
        expect(code).toBe(0);
        // No warning either: an IP address is not sent as the TLS server name.
        expect(output).not.toMatch(/Warning/);
      }
    },
  );

  it('refuses a certificate Node does not trust, instead of connecting anyway', async () => {
    expect(await firstConnectionOutcome(`rediss://localhost:${tlsPort}`)).toMatch(
      /self[- ]signed certificate/i,
    );
  });

  it('never falls back to plaintext on a server that does not speak TLS', async () => {
    if (server === undefined) throw new Error('the private redis-server did not start');
    expect(await firstConnectionOutcome(`rediss://127.0.0.1:${server.port}`)).not.toBe('connected');
  });
});
