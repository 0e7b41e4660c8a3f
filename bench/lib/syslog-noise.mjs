// Everyday lines of a busy web server's /var/log/syslog (rsyslog traditional format), including
// decoys: lines that contain "oom", "out of memory" or "killed process" but are not OOM kills.
import { nginxStamp, uptimeStamp } from './util.mjs';

const PAGES = [
  '/', '/index.html', '/article/1024.html', '/article/2311.html', '/article/877.html', '/category/news', '/category/tech?page=2',
  '/tag/golang', '/static/css/app.css?v=3.2.4', '/static/js/main.js?v=3.2.4', '/uploads/202407/5f2c1e.jpg', '/uploads/202406/a81d0c.png',
  '/api/v1/articles?page=3&limit=20', '/api/v1/comment/list?id=1024', '/sitemap.xml', '/robots.txt', '/favicon.ico', '/search?q=anqicms',
  '/system/', '/system/api/login', '/feed.xml', '/about.html', '/contact.html',
];
/** 404 probes from scanners. */
const PROBES = ['/wp-login.php', '/.env', '/xmlrpc.php', '/phpmyadmin/index.php', '/.git/config', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/cgi-bin/luci/;stok=/locale', '/boaform/admin/formLogin'];
/** Decoys: URLs with "oom" in them (grep -i 'oom' matches). */
const OOM_URLS = [
  '/hotel/rooms/deluxe-room-2.html', '/search?q=zoom+meeting', '/tag/bloom-filter', '/uploads/202407/bedroom-3.jpg', '/article/oom-killer-explained.html',
  '/booking/room/42?date=2024-08-01', '/search?q=out+of+memory', '/blog/mushroom-risotto', '/api/v1/chatroom/messages?since=1722333841', '/zoom/join?id=8123',
];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'curl/7.81.0',
  'Go-http-client/1.1',
];
const USERS = ['admin', 'test', 'ubuntu', 'oracle', 'postgres', 'git', 'deploy', 'user', 'ftpuser', 'guest', 'pi', 'hadoop', 'support'];
/** Decoys: user names scanners try that contain "oom". */
const OOM_USERS = ['oom', 'roomba', 'zoom', 'boomer', 'zoomuser', 'bloom'];
const PORTS = [22, 23, 25, 80, 443, 445, 1433, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200, 27017];
const UNITS_PERIODIC = [
  ['Starting Clean php session files...', 'phpsessionclean.service: Deactivated successfully.', 'Finished Clean php session files.'],
  ['Starting Daily apt download activities...', 'apt-daily.service: Deactivated successfully.', 'Finished Daily apt download activities.'],
  ['Starting Refresh fwupd metadata and update motd...', 'fwupd-refresh.service: Deactivated successfully.', 'Finished Refresh fwupd metadata and update motd.'],
  ['Starting Message of the Day...', 'motd-news.service: Deactivated successfully.', 'Finished Message of the Day.'],
  ['Starting Cleanup of Temporary Directories...', 'systemd-tmpfiles-clean.service: Deactivated successfully.', 'Finished Cleanup of Temporary Directories.'],
  ['Starting Rotate log files...', 'logrotate.service: Deactivated successfully.', 'Finished Rotate log files.'],
];

/** Makes noise lines; `kernelUptimeUs(tMs)` gives the kernel's clock for a wall time. */
export class SyslogNoise {
  constructor(rng, host, kernelUptimeUs) {
    this.rng = rng;
    this.host = host;
    this.kernelUptimeUs = kernelUptimeUs;
    this.nginxStamp = nginxStamp();
    this.sshPid = 40000;
    this.session = 1200;
    // Cumulative weights → kinds; one random draw picks a kind.
    const table = [
      [31, 'nginx'],
      [20, 'ufw'],
      [11, 'sshd'],
      [6, 'systemd'],
      [4, 'phpfpm'],
      [3, 'mysqld'],
      [3, 'kernel'],
      [2, 'cron'],
      [4, 'postfix'],
      [5, 'docker'],
      [1, 'snapd'],
      [0.4, 'decoy-app-killed'],
      [0.2, 'decoy-mysql-oom'],
      [0.3, 'decoy-apparmor-oom'],
    ];
    let sum = 0;
    for (const [w] of table) sum += w;
    let acc = 0;
    this.cum = table.map(([w, kind]) => [(acc += w) / sum, kind]);
  }

  /** A line from a daemon (not the kernel), e.g. to interleave with a kernel block. */
  daemonLine(tMs, prefix) {
    for (;;) {
      const line = this.line(tMs, prefix);
      if (!line.startsWith('kernel: ', prefix.length)) return line;
    }
  }

  /** One line for wall time tMs; `prefix` is `Jul 30 10:04:01 web01 ` for that second. */
  line(tMs, prefix) {
    const rng = this.rng;
    const x = rng.next();
    let kind = 'nginx';
    for (const [c, k] of this.cum) {
      if (x < c) {
        kind = k;
        break;
      }
    }
    switch (kind) {
      case 'nginx': {
        const probe = rng.chance(0.08);
        const decoy = !probe && rng.chance(0.01);
        const path = probe ? rng.pick(PROBES) : decoy ? rng.pick(OOM_URLS) : rng.pick(PAGES);
        const status = probe ? 404 : rng.chance(0.93) ? 200 : rng.pick([301, 304, 302, 499, 502]);
        const ref = rng.chance(0.6) ? '-' : `https://www.example.cn${rng.pick(PAGES)}`;
        return `${prefix}nginx: ${rng.ip()} - - [${this.nginxStamp(tMs)}] "${rng.chance(0.9) ? 'GET' : 'POST'} ${path} HTTP/1.1" ${status} ${rng.int(0, 60000)} "${ref}" "${rng.pick(UAS)}"`;
      }
      case 'ufw': {
        const port = rng.pick(PORTS);
        return `${prefix}kernel: ${uptimeStamp(this.kernelUptimeUs(tMs))} [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:3a:7c:12:fe:ee:0b:21:5d:${rng.hex(2)}:08:00 SRC=${rng.ip()} DST=10.0.0.5 LEN=${rng.pick([40, 44, 52, 60])} TOS=0x00 PREC=0x00 TTL=${rng.int(40, 250)} ID=${rng.int(1, 65535)} ${rng.chance(0.3) ? 'DF ' : ''}PROTO=TCP SPT=${rng.int(1024, 65535)} DPT=${port} WINDOW=${rng.pick([1024, 65535, 29200, 14600])} RES=0x00 SYN URGP=0 `;
      }
      case 'sshd': {
        const pid = (this.sshPid = this.sshPid >= 4000000 ? 40000 : this.sshPid + rng.int(1, 40));
        const ip = rng.ip();
        const user = rng.chance(0.02) ? rng.pick(OOM_USERS) : rng.pick(USERS);
        const port = rng.int(20000, 65000);
        switch (rng.int(0, 5)) {
          case 0:
            return `${prefix}sshd[${pid}]: Invalid user ${user} from ${ip} port ${port}`;
          case 1:
            return `${prefix}sshd[${pid}]: Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`;
          case 2:
            return `${prefix}sshd[${pid}]: Failed password for invalid user ${user} from ${ip} port ${port} ssh2`;
          case 3:
            return `${prefix}sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`;
          case 4:
            return `${prefix}sshd[${pid}]: Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`;
          default:
            return `${prefix}sshd[${pid}]: Disconnected from authenticating user root ${ip} port ${port} [preauth]`;
        }
      }
      case 'systemd': {
        const s = rng.int(0, 4);
        if (s === 0) {
          const n = ++this.session;
          return `${prefix}systemd-logind[612]: New session ${n} of user root.`;
        }
        if (s === 1) return `${prefix}systemd[1]: Started Session ${this.session} of User root.`;
        if (s === 2) return `${prefix}systemd-logind[612]: Session ${this.session - rng.int(0, 3)} logged out. Waiting for processes to exit.`;
        return `${prefix}systemd[1]: ${rng.pick(rng.pick(UNITS_PERIODIC))}`;
      }
      case 'phpfpm':
        return rng.chance(0.5)
          ? `${prefix}php-fpm7.4[${rng.int(900, 990)}]: [WARNING] [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning ${rng.pick([8, 16, 32])} children, there are ${rng.int(0, 2)} idle, and ${rng.int(10, 60)} total children`
          : `${prefix}php-fpm7.4[${rng.int(900, 990)}]: [WARNING] [pool www] child ${rng.int(10000, 90000)} exited on signal ${rng.pick([9, 11, 15])} (${rng.pick(['SIGKILL', 'SIGSEGV', 'SIGTERM'])}) after ${rng.int(1, 9000)}.${rng.int(100000, 999999)} seconds from start`;
      case 'mysqld':
        return rng.chance(0.6)
          ? `${prefix}mysqld[1771]: ${new Date(tMs).toISOString().replace('Z', '')}${rng.int(100, 999)}Z ${rng.int(100, 90000)} [Warning] [MY-010055] [Server] IP address '${rng.ip()}' could not be resolved: Name or service not known`
          : `${prefix}mysqld[1771]: ${new Date(tMs).toISOString().replace('Z', '')}${rng.int(100, 999)}Z ${rng.int(100, 90000)} [Note] [MY-010914] [Server] Aborted connection ${rng.int(100, 90000)} to db: 'anqicms' user: 'anqicms' host: 'localhost' (Got an error reading communication packets).`;
      case 'kernel': {
        const up = uptimeStamp(this.kernelUptimeUs(tMs));
        switch (rng.int(0, 3)) {
          case 0:
            return `${prefix}kernel: ${up} TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.`;
          case 1:
            return `${prefix}kernel: ${up} perf: interrupt took too long (${rng.int(2500, 9000)} > ${rng.int(2500, 9000)}), lowering kernel.perf_event_max_sample_rate to ${rng.int(20000, 80000)}`;
          case 2:
            return `${prefix}kernel: ${up} audit: type=1400 audit(${Math.floor(tMs / 1000)}.${rng.int(100, 999)}:${rng.int(100, 9999)}): apparmor="DENIED" operation="capable" profile="/usr/sbin/cupsd" pid=${rng.int(1000, 90000)} comm="cupsd" capability=12  capname="net_admin"`;
          default:
            return `${prefix}kernel: ${up} EXT4-fs (vda1): ${rng.chance(0.5) ? 'resizing filesystem' : 'mounted filesystem with ordered data mode'}${rng.chance(0.5) ? '. Opts: (null). Quota mode: none.' : '.'}`;
        }
      }
      case 'cron':
        return `${prefix}CRON[${rng.int(100000, 999999)}]: (${rng.pick(['root', 'www-data', 'deploy'])}) CMD (${rng.pick(['/usr/bin/php /var/www/artisan schedule:run >> /dev/null 2>&1', '/usr/local/bin/backup.sh > /dev/null', 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )', '/usr/lib/php/sessionclean'])})`;
      case 'postfix': {
        const pid = rng.int(10000, 99999);
        switch (rng.int(0, 2)) {
          case 0:
            return `${prefix}postfix/smtpd[${pid}]: connect from unknown[${rng.ip()}]`;
          case 1:
            return `${prefix}postfix/smtpd[${pid}]: disconnect from unknown[${rng.ip()}] ehlo=1 auth=0/1 quit=1 commands=2/3`;
          default:
            return `${prefix}postfix/smtpd[${pid}]: warning: unknown[${rng.ip()}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`;
        }
      }
      case 'docker': {
        const id = rng.hex(64);
        const iso = new Date(tMs).toISOString().replace('Z', '') + rng.int(100000, 999999) + 'Z';
        return rng.chance(0.5)
          ? `${prefix}dockerd[1034]: time="${iso}" level=info msg="ignoring event" container=${id} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`
          : `${prefix}containerd[911]: time="${iso}" level=info msg="shim disconnected" id=${id} namespace=moby`;
      }
      case 'snapd':
        return `${prefix}snapd[688]: storehelpers.go:769: cannot refresh: snap has no updates available: "core20", "lxd", "snapd"`;
      case 'decoy-app-killed':
        // An application's own words: not the kernel (the tag is not `kernel:`).
        return rng.chance(0.5)
          ? `${prefix}watchdog.sh[${rng.int(2000, 90000)}]: Killed process ${rng.int(2000, 90000)} (php) after 300 s without a heartbeat`
          : `${prefix}queue-worker[${rng.int(2000, 90000)}]: job ${rng.hex(8)}: Killed process ${rng.int(2000, 90000)} (ffmpeg): exceeded time limit`;
      case 'decoy-mysql-oom':
        return `${prefix}mysqld[1771]: ${new Date(tMs).toISOString().replace('Z', '')}${rng.int(100, 999)}Z ${rng.int(100, 90000)} [ERROR] [MY-000000] [Server] Out of memory (Needed ${rng.pick([16777216, 8388608, 1048576])} bytes)`;
      case 'decoy-apparmor-oom':
        return `${prefix}kernel: ${uptimeStamp(this.kernelUptimeUs(tMs))} audit: type=1400 audit(${Math.floor(tMs / 1000)}.${rng.int(100, 999)}:${rng.int(100, 9999)}): apparmor="DENIED" operation="open" profile="snap.chromium.chromium" name="/proc/${rng.int(1000, 90000)}/oom_score_adj" pid=${rng.int(1000, 90000)} comm="chrome" requested_mask="wr" denied_mask="wr" fsuid=1000 ouid=1000`;
    }
    return `${prefix}nginx: -`;
  }
}
