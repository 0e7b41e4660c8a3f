// Reads a program's last words as a failed start: is it an error, and what does it name (a database, a port, a file, the config)?

/** Why a start failed (formats.md §2 for AnQiCMS's own messages; any program's last error line otherwise). */
export type StartupFailureCause = 'port-in-use' | 'invalid-config' | 'database-unreachable' | 'permission-denied' | 'error';

/** What the message names, for advice that points at it. */
export interface StartupFailureDetail {
  /** `MySQL`, `PostgreSQL`, `Redis`, … from the port or the word. */
  database: string | null;
  /** `127.0.0.1:3306`, `0.0.0.0:80`, `:8001`, `/var/run/alist.sock`. */
  address: string | null;
  port: number | null;
  /** A file path the message names (for permission and config errors). */
  path: string | null;
}

// `log.Fatal`'s words, logrus/zap levels, gitea's `[F]`, and the same in Chinese. Only a life's last lines are tested.
const ERROR_WORDS = /\b(?:errors?|fatal|failed|failure|refused|denied|cannot|can't|could not|unable|no such|invalid|not permitted|timed? ?out)\b|\bFATA\b|\bERRO\b|\[F\]|\[E\]|错误|失败|无法|不能|拒绝|不存在|非法|无效|致命|权限|没有那个/i;
const DATABASES: [RegExp, string][] = [
  [/:3306\b|\bmysql|mariadb/i, 'MySQL'],
  [/:5432\b|\bpostgres/i, 'PostgreSQL'],
  [/:6379\b|\bredis/i, 'Redis'],
  [/:27017\b|\bmongo/i, 'MongoDB'],
  [/:1433\b|\bmssql|sqlserver/i, 'SQL Server'],
  [/\bsqlite/i, 'SQLite'],
];
const DATABASE_WORD = /\bdatabase\b|\bdb\b|数据库|\bsql\b/i;
const PERMISSION = /permission denied|access is denied|not permitted|权限不够|没有权限|拒绝访问/i;
const PORT_TAKEN = /address already in use|only one usage of each socket address|端口.{0,6}(?:被占用|已被使用|已经被占用)/i;
const BIND = /\bbind: |\blisten (?:tcp|udp|unix)[46]? /i;
const CONFIG = /\bconfig|\.ya?ml\b|\byaml:|\.json\b|\.toml\b|\.ini\b|\bjson: |\btoml: |配置/i;
const ADDRESS = /\b(?:dial|listen|connect(?:ing)? to) (?:tcp|udp|unix)[46]? (\S+?)(?::? |$)|(\b(?:\d{1,3}\.){3}\d{1,3}:\d{2,5}\b|\[[0-9a-f:]+\]:\d{2,5}|(?<![\w.])(?:localhost)?:\d{2,5}\b)/i;
const PATH = /(?:^|[\s"'(=])((?:\/[\w.@%+-]+){2,}\/?|[A-Za-z]:[\\/][^\s"']+)/;

/** True when a line reads as an error: the kind of line `log.Fatal` and its cousins leave behind. */
export function isErrorLine(text: string): boolean {
  return ERROR_WORDS.test(text);
}

/** What an error line that ended a start names: a database, a port taken or forbidden, the configuration, or nothing known. */
export function classifyStartupError(text: string): { cause: StartupFailureCause; detail: StartupFailureDetail } {
  const a = ADDRESS.exec(text);
  const address = a ? (a[1] ?? a[2] ?? null) : null;
  const portMatch = address ? /:(\d{1,5})$/.exec(address) : null;
  const path = PATH.exec(text)?.[1] ?? null;
  const database = DATABASES.find(([re]) => re.test(text))?.[1] ?? null;
  const detail: StartupFailureDetail = { database, address, port: portMatch ? Number(portMatch[1]) : null, path };
  let cause: StartupFailureCause = 'error';
  if (PERMISSION.test(text)) cause = 'permission-denied';
  else if (PORT_TAKEN.test(text) || (BIND.test(text) && /\bbind\b/i.test(text))) cause = 'port-in-use';
  else if (database !== null || DATABASE_WORD.test(text)) cause = 'database-unreachable';
  else if (CONFIG.test(text)) cause = 'invalid-config';
  return { cause, detail };
}
