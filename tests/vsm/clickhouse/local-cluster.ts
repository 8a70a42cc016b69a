/**
 * Starts N clickhouse-server processes on loopback ports, each with its own config, users and data dir under one
 * mktemp folder, with a `remote_servers` cluster `vsm_test` naming them as N one-replica shards. Stopped and the
 * folder removed by `stop()` (tests call it in afterAll; a process `exit` hook covers a crashed run).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';

/** True when a clickhouse-server binary is installed (CI installs the Debian package in .ci/run). */
export function clickhouseInstalled(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v clickhouse-server || test -x /usr/sbin/clickhouse-server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LocalCluster {
  /** HTTP URLs, one per shard. */
  urls: string[];
  clusterName: string;
  stop(): void;
}

function configXml(dir: string, httpPort: number, tcpPort: number, interserverPort: number, shards: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <interserver_http_port>${interserverPort}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>64</max_connections>
  <max_concurrent_queries>16</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers><vsm_test>${shards}</vsm_test></remote_servers>
</yandex>
`;
}

/** A second user with a password, for the tests that credentials work and never reach any output. */
export const TEST_USER = 'vsm_reader';
export const TEST_PASSWORD = 'hunter2-secret-pw';

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><log_queries>0</log_queries></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default><vsm_reader><password>${TEST_PASSWORD}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></vsm_reader></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/** The last lines of a server's error log, or '' when it wrote none. */
function errorLogTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

async function waitForPing(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited with code ${child.exitCode} before answering ${url}/ping`);
    try {
      const response = await fetch(`${url}/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`clickhouse-server did not answer ${url}/ping within the start timeout`);
}

/** Attempts at starting the servers: a port found free can be taken by another test's server before ours binds it. */
const START_ATTEMPTS = 3;

/**
 * Starts `shardCount` servers forming the cluster `vsm_test`; resolves when every /ping answers. A server that exits
 * before answering (seen once on CI: exit 70, most likely a port another test's server took between freePort and
 * its bind) is started again on fresh ports, up to START_ATTEMPTS times; the last failure carries the server's error
 * log.
 */
export async function startLocalCluster(shardCount: number, startTimeoutMs = 30_000): Promise<LocalCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalClusterOnce(shardCount, startTimeoutMs);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !(error instanceof Error) || !error.message.includes('exited with code')) throw error;
    }
  }
}

async function startLocalClusterOnce(shardCount: number, startTimeoutMs: number): Promise<LocalCluster> {
  const root = mkdtempSync(join(tmpdir(), 'vsm-clickhouse-'));
  const ports: { http: number; tcp: number; interserver: number }[] = [];
  for (let s = 0; s < shardCount; s++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const shards = ports.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`).join('');
  const children: ChildProcess[] = [];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const child of children) if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);
  try {
    for (let s = 0; s < shardCount; s++) {
      const dir = join(root, `shard${s}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'users.xml'), USERS_XML);
      writeFileSync(join(dir, 'config.xml'), configXml(dir, ports[s].http, ports[s].tcp, ports[s].interserver, shards));
      const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
      children.push(child);
    }
    const deadline = Date.now() + startTimeoutMs;
    const urls = ports.map((p) => `http://127.0.0.1:${p.http}`);
    await Promise.all(urls.map((url, s) => waitForPing(url, children[s], deadline)));
    return { urls, clusterName: 'vsm_test', stop };
  } catch (error) {
    const logs = Array.from({ length: shardCount }, (_, s) => errorLogTail(join(root, `shard${s}`, 'server.err.log'))).filter((tail) => tail !== '');
    stop();
    if (error instanceof Error && logs.length > 0) error.message += `\n${logs.join('\n')}`;
    throw error;
  }
}
