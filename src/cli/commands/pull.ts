import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { VsmError, quoteGot } from '../../errors.js';
import type { PullManifest, PullSource } from '../../model/pull-manifest.js';
import { type Credentials, githubCredentials, jiraCredentials, redact, zendeskCredentials } from '../../pull/credentials.js';
import { newGithubCursor, parseRepo, pullGithub } from '../../pull/github-pull.js';
import { HttpClient, type RetryEvent } from '../../pull/http-client.js';
import { jiraQuery, newJiraCursor, pullJira } from '../../pull/jira-pull.js';
import { type PullMode, type PullProgress, type PullSession, startPull } from '../../pull/pull-session.js';
import { ZENDESK_INCREMENTAL_INTERVAL_MS, newZendeskCursor, pullZendesk } from '../../pull/zendesk-pull.js';
import { safeText } from '../terminal.js';

interface CommonPullFlags {
  out?: string;
  resume?: boolean;
  since?: string;
  progress?: boolean;
}

/** `https://host[/path]` without a trailing slash; plain http only to this machine (a token must not cross a network in clear). */
export function baseUrl(text: string | undefined, flag: string): string {
  let url: URL;
  try {
    url = new URL(text ?? '');
  } catch {
    throw new VsmError({ code: 'BAD_OPTION', what: 'not a URL', where: `flag ${flag}`, got: quoteGot(text ?? ''), fix: `pass ${flag} https://your-host` });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'credentials are sent only over https', where: `flag ${flag}`, got: quoteGot(url.origin), fix: `pass ${flag} https://${url.host}` });
  }
  if (url.username !== '' || url.password !== '' || url.search !== '') {
    throw new VsmError({ code: 'BAD_OPTION', what: 'the URL may hold only the host and path', where: `flag ${flag}`, got: 'user info or a query string', fix: 'credentials come from environment variables (see vsm pull --help)' });
  }
  return url.toString().replace(/\/+$/, '');
}

function modeOf(flags: CommonPullFlags): { mode: PullMode; since: string | null } {
  if (flags.resume && flags.since !== undefined) {
    throw new VsmError({ code: 'BAD_OPTION', what: '--resume and --since do not go together', where: 'flags', fix: 'finish the interrupted pull with --resume, then update it with --since last' });
  }
  if (flags.resume) return { mode: 'resume', since: null };
  if (flags.since === 'last') return { mode: 'incremental', since: null };
  if (flags.since === undefined) return { mode: 'full', since: null };
  const ms = Date.parse(flags.since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(flags.since) || Number.isNaN(ms)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'not a date', where: 'flag --since', got: quoteGot(flags.since), fix: 'pass --since 2024-01-01 (UTC), an ISO instant, or --since last' });
  }
  return { mode: 'full', since: new Date(ms).toISOString() };
}

/** Pages/items and an ETA where the total is known; only on a TTY, on stderr, and never with --no-progress or CI. */
function makePullProgress(label: string, unit: string, enabled: boolean): { update: (p: PullProgress) => void; stop: () => void } {
  if (!enabled || process.stderr.isTTY !== true || process.env.CI) return { update: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(progress) {
      const known = progress.casesTotal !== undefined;
      if (!bar) {
        const format = known
          ? `${label} [{bar}] {value}/{total} ${unit} · {pages} pages · ETA {eta_formatted}`
          : `${label} · {value} ${unit} · {pages} pages`;
        bar = new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(progress.casesTotal ?? 0, progress.casesWritten, { pages: progress.pagesWritten });
      }
      if (known) bar.setTotal(Math.max(progress.casesTotal ?? 0, progress.casesWritten));
      bar.update(progress.casesWritten, { pages: progress.pagesWritten });
    },
    stop: () => bar?.stop(),
  };
}

interface SourceRun {
  source: PullSource;
  site: string;
  query: string;
  credentials: Credentials;
  permissionHelp: string;
  headers?: Record<string, string>;
  minIntervalMs?: number;
  unit: string;
  defaultOut: string;
  newCursor: (previous: Record<string, unknown>, since: string | null) => Record<string, unknown>;
  pull: (session: PullSession) => Promise<PullManifest>;
}

async function runPull(run: SourceRun, flags: CommonPullFlags): Promise<void> {
  const { mode, since } = modeOf(flags);
  const root = flags.out ?? run.defaultOut;
  const secrets = run.credentials.secrets;
  const http = new HttpClient({
    credentials: run.credentials,
    origin: new URL(run.site).origin,
    headers: run.headers,
    permissionHelp: run.permissionHelp,
    minIntervalMs: run.minIntervalMs,
    onRetry: (event: RetryEvent) => process.stderr.write(`vsm: ${safeText(redact(`${event.reason} · GET ${event.url} · retry ${event.attempt} in ${event.waitMs < 1000 ? `${event.waitMs} ms` : `${(event.waitMs / 1000).toFixed(1)} s`}`, secrets))}\n`),
  });
  const progress = makePullProgress(`pulling ${run.source}`, run.unit, flags.progress !== false);
  try {
    const session = await startPull({ root, source: run.source, site: run.site, query: run.query, credentialVariables: run.credentials.variables, mode, since, http, newCursor: run.newCursor, onProgress: progress.update });
    const manifest = await run.pull(session);
    progress.stop();
    const what = `${manifest.counts.cases} ${run.unit}${manifest.counts.events > 0 ? `, ${manifest.counts.events} events` : ''}`;
    const full = manifest.counts.historiesFetchedInFull > 0 ? `, ${manifest.counts.historiesFetchedInFull} capped histories fetched in full` : '';
    process.stdout.write(
      `${safeText(`pulled ${what} (${session.pagesWritten} pages written this run, ${manifest.counts.pageFiles} in the folder${full}; ${http.requests} requests, ${http.retries} ${http.retries === 1 ? 'retry' : 'retries'}) into ${root}`)}\n` +
        `as of ${manifest.asOf ?? '?'} · next: vsm analyze ${safeText(root)}\n`,
    );
  } catch (error) {
    progress.stop();
    // Scrub any message that could carry a secret before it reaches the terminal (program.ts prints VsmErrors).
    if (error instanceof VsmError) throw error;
    throw new Error(redact(error instanceof Error ? (error.stack ?? error.message) : String(error), secrets));
  }
}

function addCommonFlags(command: Command): Command {
  return command
    .option('--out <dir>', 'folder to write pages and pull.json into (default pulls/<source>-<name>)')
    .option('--resume', 'continue an interrupted pull from the last complete page')
    .option('--since <date|last>', 'only what changed since an ISO date; "last": since the previous pull into --out (incremental)')
    .option('--no-progress', 'never show a progress bar');
}

function makeJiraPull(): Command {
  const command = new Command('jira')
    .description('issues with full status histories from Jira Cloud or Data Center (JIRA_EMAIL + JIRA_API_TOKEN, or JIRA_PAT)')
    .requiredOption('--site <url>', 'Jira base URL, e.g. https://acme.atlassian.net')
    .option('--jql <query>', 'JQL selecting the issues')
    .option('--project <key>', 'shorthand for --jql "project = KEY"')
    .addOption(new Option('--deployment <kind>', 'cloud: /rest/api/3/search/jql; server: Data Center /rest/api/2/search (default: cloud with JIRA_EMAIL + JIRA_API_TOKEN, server with JIRA_PAT)').choices(['cloud', 'server']));
  addCommonFlags(command).action(async (flags: CommonPullFlags & { site: string; jql?: string; project?: string; deployment?: 'cloud' | 'server' }) => {
    const site = baseUrl(flags.site, '--site');
    const query = jiraQuery(flags);
    const credentials = jiraCredentials(process.env);
    const deployment = flags.deployment ?? (credentials.variables.includes('JIRA_PAT') ? 'server' : 'cloud');
    await runPull(
      {
        source: 'jira',
        site,
        query,
        credentials,
        permissionHelp: '"Browse projects" on every project the JQL names',
        unit: 'issues',
        defaultOut: `pulls/jira-${flags.project ?? 'jql'}`,
        newCursor: newJiraCursor,
        pull: (session) => pullJira(session, { site, jql: query, deployment }),
      },
      flags,
    );
  });
  return command;
}

function makeZendeskPull(): Command {
  const command = new Command('zendesk')
    .description('every ticket status/assignee/group change and ticket from the Zendesk incremental exports (ZENDESK_EMAIL + ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN)')
    .option('--subdomain <name>', 'the <name> of https://<name>.zendesk.com')
    .option('--api-url <url>', 'API base URL instead of the subdomain (tests, proxies)');
  addCommonFlags(command).action(async (flags: CommonPullFlags & { subdomain?: string; apiUrl?: string }) => {
    if (flags.apiUrl === undefined && (flags.subdomain === undefined || !/^[a-z0-9][a-z0-9-]*$/i.test(flags.subdomain))) {
      throw new VsmError({ code: 'BAD_OPTION', what: 'no Zendesk account', where: 'flag --subdomain', got: flags.subdomain === undefined ? 'none' : quoteGot(flags.subdomain), fix: 'pass --subdomain acme for https://acme.zendesk.com' });
    }
    const apiUrl = baseUrl(flags.apiUrl ?? `https://${flags.subdomain}.zendesk.com`, flags.apiUrl !== undefined ? '--api-url' : '--subdomain');
    await runPull(
      {
        source: 'zendesk',
        site: apiUrl,
        query: 'incremental ticket_events and tickets',
        credentials: zendeskCredentials(process.env),
        permissionHelp: 'the admin role (incremental exports are admin-only) with API token access enabled',
        minIntervalMs: ZENDESK_INCREMENTAL_INTERVAL_MS,
        unit: 'tickets',
        defaultOut: `pulls/zendesk-${flags.subdomain ?? 'api'}`,
        newCursor: newZendeskCursor,
        pull: (session) => pullZendesk(session, { apiUrl }),
      },
      flags,
    );
  });
  return command;
}

function makeGithubPull(): Command {
  const command = new Command('github')
    .description('issues and their events (labels, assignments, close/reopen) from GitHub (GITHUB_TOKEN)')
    .requiredOption('--repo <owner/name>', 'the repository')
    .option('--api-url <url>', 'API base URL (GitHub Enterprise: https://HOST/api/v3)', 'https://api.github.com')
    .option('--pull-requests', 'include pull requests (skipped by default)');
  addCommonFlags(command).action(async (flags: CommonPullFlags & { repo: string; apiUrl: string; pullRequests?: boolean }) => {
    const repo = parseRepo(flags.repo);
    const apiUrl = baseUrl(flags.apiUrl, '--api-url');
    await runPull(
      {
        source: 'github',
        site: apiUrl,
        query: `repo ${repo} issues${flags.pullRequests ? ' and pull requests' : ''}`,
        credentials: githubCredentials(process.env),
        permissionHelp: 'read access to the repository ("Issues: read" for a fine-grained token, "repo" scope for a classic token on a private repository)',
        headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
        unit: 'issues',
        defaultOut: `pulls/github-${basename(repo)}`,
        newCursor: newGithubCursor,
        pull: (session) => pullGithub(session, { apiUrl, repo, pullRequests: flags.pullRequests === true }),
      },
      flags,
    );
  });
  return command;
}

export function makePullCommand(): Command {
  const command = new Command('pull')
    .description('fetch complete histories from Jira, Zendesk or GitHub into a folder that vsm analyze reads (credentials from environment variables only)')
    .addCommand(makeJiraPull().exitOverride())
    .addCommand(makeZendeskPull().exitOverride())
    .addCommand(makeGithubPull().exitOverride());
  command.addHelpText(
    'after',
    `
Credentials (environment only, never flags): JIRA_EMAIL + JIRA_API_TOKEN or JIRA_PAT · ZENDESK_EMAIL + ZENDESK_API_TOKEN
or ZENDESK_OAUTH_TOKEN · GITHUB_TOKEN. See docs/pull.md.

Examples:
  $ vsm pull jira --site https://acme.atlassian.net --project SP --out pulls/sp
  $ vsm analyze pulls/sp
  $ vsm pull jira --site https://acme.atlassian.net --project SP --out pulls/sp --since last
  $ vsm pull zendesk --subdomain acme --since 2024-01-01 --out pulls/support
  $ vsm pull github --repo octo/hello --out pulls/hello --resume`,
  );
  return command;
}
