// The report's one stylesheet. The page allows it by its sha256 (Content-Security-Policy), so it must stay one
// <style> element whose text is exactly this string; no style="" attributes anywhere.

const VERDICT_COLOURS: Record<string, string> = {
  'kernel-oom': '#d62728',
  'cgroup-oom': '#f07f09',
  'userspace-oom': '#d6489f',
  'go-runtime-oom': '#8c564b',
  'go-panic': '#7e4fc4',
  'go-fatal': '#5b2d79',
  'startup-failure': '#a8a615',
  stopped: '#2b9a3c',
  exited: '#15a1b4',
  signaled: '#1f6fb4',
  killed: '#2b2f6e',
  'host-reboot': '#6b6b6b',
  unknown: '#9a9a9a',
};

const verdictRules = Object.entries(VERDICT_COLOURS)
  .map(([verdict, colour]) => `.v-${verdict}{fill:${colour};stroke:${colour};color:${colour}}`)
  .join('\n');

export const STYLES = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#5d6675;--line:#dde1e7;--soft:#eef1f5;--accent:#2c5fb8;--bad:#c62828;--warn:#b26a00;--ok:#2b8a3e;
--anon:#d62728;--file:#f2a541;--shmem:#8e6bbf;--other:#8fa3bf;--stack0:#9fb3cc;--stack1:#7d93b2;--down:#f4a3a3;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
color:var(--ink);background:var(--bg);line-height:1.5;-webkit-text-size-adjust:100%}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--card:#1d2128;--ink:#e6e9ee;--muted:#9aa3b1;--line:#343a45;--soft:#262b34;--accent:#7fa7ef;--bad:#ff6b6b;--warn:#f0a848;--ok:#6cc27d;--other:#6d809c;--stack0:#5d6f8a;--stack1:#7a8dab;--down:#9c3c3c}}
*{box-sizing:border-box}
body{margin:0;font-size:15px}
main{max-width:1120px;margin:0 auto;padding:20px 16px 40px;overflow-wrap:anywhere}
a{color:var(--accent)}
h1{font-size:1.7em;line-height:1.2;margin:0 0 4px}
h2{font-size:1.25em;margin:34px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:1.06em;margin:0}
p{margin:6px 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
.muted{color:var(--muted)}
header.page{padding:18px 0 8px}
header.page .window{font-size:1.05em;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:14px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .label{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .big{font-size:1.75em;font-weight:650;line-height:1.25;white-space:nowrap;overflow-wrap:normal}
.card.alert .big{color:var(--bad)}
.verdicts{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0;padding:0;list-style:none}
.verdicts li{display:flex;align-items:center;gap:6px}
svg.icon{flex:none;overflow:visible;display:inline-block;width:1.05em;height:1.05em;vertical-align:-2px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:10px 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
svg{display:block;width:100%;height:auto;font-size:12px}
svg text{fill:var(--ink)}
.timeline{min-width:660px}
ol.downtime{list-style:none;margin:0;padding:0}
ol.downtime li{display:grid;grid-template-columns:minmax(9em,16em) 8.5em 1fr 5.5em;align-items:center;gap:4px 10px;padding:3px 0;border-bottom:1px solid var(--soft)}
ol.downtime .what{color:var(--ink);text-decoration:none;display:flex;align-items:center;gap:6px}
ol.downtime .when{color:var(--muted);font-size:.9em;white-space:nowrap}
ol.downtime svg.track{height:12px;width:100%}
ol.downtime .figure{font-variant-numeric:tabular-nums;white-space:nowrap}
ol.by-day{list-style:none;margin:0;padding:0}
ol.by-day>li{padding:6px 0;border-bottom:1px solid var(--soft)}
ol.by-day ul{list-style:none;margin:2px 0 0;padding:0}
ol.by-day a{color:var(--ink);text-decoration:none;display:flex;align-items:center;gap:6px}
.kill-mark{color:var(--ink);opacity:.75;font-size:.8em}
.phone-only{display:none}
.kill-chart{min-width:520px;max-width:760px}
.grid{stroke:var(--line);stroke-width:1}
.grid.major{stroke:var(--muted);stroke-opacity:.45}
.axis{stroke:var(--muted)}
.tick{fill:var(--muted);font-size:11px}
.lane,.input-name{fill:var(--muted);font-size:11.5px}
.lane{font-weight:600;fill:var(--ink)}
.lane-rule{stroke:var(--soft);stroke-width:1}
.loop rect{fill:var(--bad);fill-opacity:.09;stroke:var(--bad);stroke-opacity:.35;stroke-dasharray:3 3}
.loop-label{fill:var(--bad);font-size:11px;font-weight:600}
.down{fill:var(--down);stroke:none}
.restart{fill:none;stroke:var(--ok);stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.mk{stroke-width:1.2;stroke-linejoin:round;paint-order:stroke}
.mk.death:not(.hollow){stroke:var(--card);stroke-width:1.5}
.mk.hollow{fill:none;stroke-width:2.6}
.kill{fill:var(--ink);fill-opacity:.75}
.mark-n{font-size:11px;font-weight:700;fill:var(--muted)}
.span{fill-opacity:.85}
.role-kernel{fill:#5b7bb8}.role-guardian{fill:#6aa36f}.role-app{fill:#c9924a}
.bar{stroke:none}
.row-label{font-size:12px}
.row-label.victim{font-weight:650}
.row-label.together{fill:var(--muted);font-style:italic}
.row-time,.row-value,.bar-value{fill:var(--muted);font-size:11.5px}
.seg{stroke:var(--card);stroke-width:.6}
.seg-anon{fill:var(--anon)}.seg-file{fill:var(--file)}.seg-shmem{fill:var(--shmem)}.seg-other{fill:var(--other)}
.seg-stack0{fill:var(--stack0)}.seg-stack1{fill:var(--stack1)}
.limit line{stroke:var(--ink);stroke-width:2;stroke-dasharray:6 3}
.limit text{font-size:11.5px;font-weight:650}
ol.kill-bars{list-style:none;margin:0;padding:0}
ol.kill-bars li{display:grid;grid-template-columns:1fr auto;align-items:baseline;gap:2px 8px;padding:4px 0;border-bottom:1px solid var(--soft)}
ol.kill-bars .name{overflow-wrap:anywhere;min-width:0}
ol.kill-bars .name.victim{font-weight:650}
ol.kill-bars .name.together{color:var(--muted);font-style:italic}
ol.kill-bars .figure{color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
ol.kill-bars svg.track{grid-column:1/-1;height:14px;width:100%}
.limit-mark{stroke:var(--ink);stroke-width:2;stroke-dasharray:4 2}
.limit-key{font-size:.9em;font-weight:650;margin:0 0 4px}
.limit-key::before{content:"";display:inline-block;height:1em;border-left:2px dashed var(--ink);margin-right:6px;vertical-align:-2px}
.empty{fill:var(--muted)}
.key{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.85em;color:var(--muted);margin:4px 0 0}
.key span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px;background:var(--c)}
.key .k-anon{--c:var(--anon)}.key .k-file{--c:var(--file)}.key .k-shmem{--c:var(--shmem)}.key .k-other{--c:var(--other)}
.incident{background:var(--card);border:1px solid var(--line);border-left:6px solid currentColor;border-radius:10px;padding:12px 16px;margin:12px 0;break-inside:avoid}
.incident>*{color:var(--ink)}
.incident header{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
.incident header svg.icon{width:1.3em;height:1.3em}
.incident h3{color:var(--ink)}
.badge{display:inline-block;font-size:.78em;padding:1px 8px;border-radius:999px;background:var(--soft);color:var(--ink);border:1px solid var(--line)}
.badge.confirmed{background:#e3f1e6;border-color:#b9dcc0;color:#1d5e2a}
.badge.likely{background:#fff2db;border-color:#f0d5a3;color:#7a4b00}
.badge.possible{background:#f3f3f3;color:#555}
@media (prefers-color-scheme:dark){.badge.confirmed{background:#1f3a26;color:#a6dfb2;border-color:#2f5a3a}.badge.likely{background:#3a2f1a;color:#f3cf8c;border-color:#5a4a2a}.badge.possible{background:#2b2b2b;color:#bbb}}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:10px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ul.advice{margin:6px 0;padding-left:20px}
ol.evidence{list-style:none;margin:6px 0 0;padding:0;border-top:1px dashed var(--line)}
ol.evidence li{display:grid;grid-template-columns:minmax(8.5em,max-content) 1fr;gap:2px 10px;padding:4px 0;border-bottom:1px dashed var(--line);font-size:.9em}
ol.evidence .where{color:var(--muted);white-space:nowrap}
ol.evidence .role{font-size:.75em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-right:6px}
ol.evidence code{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.kill-card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:14px 0}
.kill-card .meta{color:var(--muted);font-size:.9em}
.trigger{margin:8px 0 4px}
details{margin-top:10px}
details>summary{cursor:pointer;font-weight:650}
.explain{margin-top:6px}
.x-row{display:grid;grid-template-columns:minmax(12em,19em) 1fr;gap:2px 16px;padding:7px 0;border-top:1px solid var(--soft)}
.x-row .field{font-weight:600;overflow-wrap:anywhere}
.x-row .field code{font-weight:400;color:var(--muted);display:block}
.x-row.tone-bad .field::before{content:"● ";color:var(--bad)}
.x-row.tone-warn .field::before{content:"● ";color:var(--warn)}
.x-row.tone-ok .field::before{content:"● ";color:var(--ok)}
.x-row ul{margin:4px 0 0;padding-left:18px}
.x-row li{margin:2px 0}
.x-row li code{color:var(--ink)}
.tone-bad>.field{color:var(--bad)}
table.inputs{width:100%;border-collapse:collapse;font-size:.92em}
table.inputs th,table.inputs td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
table.inputs td.path{overflow-wrap:anywhere}
table.inputs th,table.inputs td:not(.path){overflow-wrap:normal}
.cut{color:var(--bad);font-weight:650}
ul.warnings{padding-left:20px}
footer{margin-top:40px;color:var(--muted);font-size:.85em}
${verdictRules}
@media (prefers-color-scheme:dark){.v-killed{fill:#8f96ea;stroke:#8f96ea;color:#8f96ea}.v-go-fatal{fill:#b98ade;stroke:#b98ade;color:#b98ade}.v-host-reboot{fill:#a9a9a9;stroke:#a9a9a9;color:#a9a9a9}}
@media (max-width:640px){.wide-only{display:none}.phone-only{display:block}ol.downtime li{grid-template-columns:1fr auto;gap:2px 8px}ol.downtime svg.track{grid-column:1/2}body{font-size:14px}main{padding:12px 10px 30px}.x-row{grid-template-columns:1fr}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:4px}ol.evidence li{grid-template-columns:1fr}.card .big{font-size:1.45em}}
@media print{:root{--bg:#fff;--card:#fff}body{font-size:11pt}main{max-width:none;padding:0}.scroll{overflow:visible}.timeline,.kill-chart{min-width:0}.phone-only{display:none}.wide-only{display:block}
h2{break-after:avoid}.incident,.kill-card,.panel,.x-row{break-inside:avoid}a{color:inherit;text-decoration:none}}
@page{margin:14mm}
`;
