/**
 * Several gateway instances, each its own process on one Redis, behind a round-robin load balancer
 * whose origin is the portal's: what a portal serving a region's hospitals runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayHarness } from './gateway.js';
import type { InstanceConfig } from './gateway-instance.js';
import { freePort } from './ports.js';
import { servicesRedirectedTo, startSandbox, type TestSandbox } from './sandbox.js';

const INSTANCE_SCRIPT = new URL('./gateway-instance.ts', import.meta.url).pathname;

export interface Cluster {
  /** The load balancer's origin: where the browser thinks the portal is. */
  origin: string;
  sandbox: TestSandbox;
  /** Which instance served each request, in order. */
  served: { path: string; instance: number }[];
  /** What `pairThroughGateway` and `gatewayClient` need: the portal behind its load balancer. */
  harness: GatewayHarness;
  /** SIGKILL: the instance dies mid-whatever, as a crashed container does. */
  kill(instance: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(
  options: {
    instances?: number;
    redisUrl: string;
    sandbox?: Parameters<typeof startSandbox>[0];
    operationsPerUser?: number;
  } = { redisUrl: '' },
): Promise<Cluster> {
  const balancer = createServer();
  await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(balancer.address() as AddressInfo).port}`;
  const services = servicesRedirectedTo(origin);
  const [demo] = services;
  const sandbox = await startSandbox({ ...options.sandbox, services });
  // Every instance has the same key, from the host's secret store.
  const key = randomBytes(32).toString('base64');

  const ports: number[] = [];
  const processes: ChildProcess[] = [];
  for (let i = 0; i < (options.instances ?? 2); i++) {
    const config: InstanceConfig = {
      port: await freePort(),
      origin,
      issuer: sandbox.url,
      fhirBase: sandbox.fhirBase,
      client: { clientId: demo.clientId, clientSecret: demo.clientSecret! },
      service: { oid: demo.oid, name: demo.name },
      redisUrl: options.redisUrl,
      key,
      operationsPerUser: options.operationsPerUser,
    };
    const child = spawn(
      process.execPath,
      ['--conditions=@mes-kit/source', '--import', 'tsx', INSTANCE_SCRIPT, JSON.stringify(config)],
      {
        // Its stdin is this process: when this one ends, however it ends, so does the child.
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`gateway instance ${i} exited (${code})`)));
    });
    ports.push(config.port);
    processes.push(child);
  }

  const served: Cluster['served'] = [];
  const alive = () =>
    processes.flatMap((child, i) => (child.exitCode === null && child.signalCode === null ? [i] : []));
  let turn = 0;

  /** Round robin over the live instances; a connection refused goes to the next one, as a health-checked balancer does. */
  async function balance(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (let attempt = 0; attempt < processes.length; attempt++) {
      const live = alive();
      if (live.length === 0) break;
      const instance = live[turn++ % live.length];
      const answered = await new Promise<boolean>((resolve) => {
        const upstream = forward(
          { host: '127.0.0.1', port: ports[instance], method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            served.push({ path: req.url ?? '', instance });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            // The instance died mid-answer: the browser sees the connection drop.
            answer.on('error', () => res.destroy());
            answer.on('aborted', () => res.destroy());
            resolve(true);
          },
        );
        upstream.on('error', () => {
          if (res.headersSent) res.destroy();
          resolve(res.headersSent);
        });
        upstream.end(body);
      });
      if (answered) return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' }).end('No gateway instance is up.');
  }
  balancer.on('request', (req, res) => void balance(req, res));

  async function kill(instance: number) {
    const child = processes[instance];
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  return {
    origin,
    sandbox,
    served,
    harness: { origin, sandbox } as GatewayHarness,
    kill,
    async close() {
      await Promise.all(processes.map((_, i) => kill(i)));
      await new Promise<void>((resolve) => {
        balancer.close(() => resolve());
        balancer.closeAllConnections();
      });
      await sandbox.dispose();
    },
  };
}
