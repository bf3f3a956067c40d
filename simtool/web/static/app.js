// simtool OSCE marking page: plain JS, no framework, nothing loaded from outside this server.
// Every change is queued in localStorage and sent in order; a change stays "not saved" until
// the server has committed it, and is resent after a Wi-Fi drop (the server ignores a resend)
// or a busy or failing server (429, 5xx); only a change the server refuses (4xx) leaves the
// queue, and the refusal stays on the screen until a later change is saved.
"use strict";
const T = {
  en: {join_title: "Join the exam", pin: "Exam PIN", staff_id: "Your staff ID", join: "Join",
       candidates: "Candidates", now: "now", round: "Round", signed: "signed", draft: "marked",
       unmarked: "not marked", done: "Done", not_done: "Not done", not_observed: "Not observed",
       global: "Global rating", comment: "Comment", sign: "Sign the sheet",
       saved: "All changes saved", unsaved: "{n} change(s) not saved yet — they will be sent when the connection is back",
       offline: "No connection: {n} change(s) not saved yet, kept on this phone",
       not_saved: "not saved yet", sheet_signed: "Signed. The sheet can no longer be changed.",
       sign_wait: "Wait until every change is saved, then sign.", wrong: "Refused: ",
       reading: "Reading", station: "Station", changeover: "Change", over: "Exam over",
       before: "Not started", left: "left", critical: "critical", points: "Score",
       no_turn: "No candidate at your station yet.", leave: "Leave"},
  zh_CN: {join_title: "加入考试", pin: "考试 PIN 码", staff_id: "您的工号", join: "加入",
       candidates: "考生", now: "当前", round: "轮次", signed: "已签名", draft: "已评分",
       unmarked: "未评分", done: "完成", not_done: "未完成", not_observed: "未观察到",
       global: "总体评价", comment: "评语", sign: "签名提交评分表",
       saved: "所有修改已保存", unsaved: "{n} 项修改尚未保存——连接恢复后将自动发送",
       offline: "无网络连接：{n} 项修改尚未保存，已保留在本手机上",
       not_saved: "尚未保存", sheet_signed: "已签名，评分表不能再修改。",
       sign_wait: "请等所有修改保存后再签名。", wrong: "被拒绝：",
       reading: "阅题", station: "考站操作", changeover: "换站", over: "考试结束",
       before: "未开始", left: "剩余", critical: "关键项", points: "得分",
       no_turn: "您的考站暂无考生。", leave: "退出"},
  zh_TW: {join_title: "加入考試", pin: "考試 PIN 碼", staff_id: "您的員工編號", join: "加入",
       candidates: "考生", now: "目前", round: "輪次", signed: "已簽名", draft: "已評分",
       unmarked: "未評分", done: "完成", not_done: "未完成", not_observed: "未觀察到",
       global: "整體評價", comment: "評語", sign: "簽名提交評分表",
       saved: "所有修改已儲存", unsaved: "{n} 項修改尚未儲存——連線恢復後將自動傳送",
       offline: "無網路連線：{n} 項修改尚未儲存，已保留在本手機上",
       not_saved: "尚未儲存", sheet_signed: "已簽名，評分表不能再修改。",
       sign_wait: "請等所有修改儲存後再簽名。", wrong: "被拒絕：",
       reading: "閱題", station: "考站操作", changeover: "換站", over: "考試結束",
       before: "未開始", left: "剩餘", critical: "關鍵項", points: "得分",
       no_turn: "您的考站暫無考生。", leave: "退出"}
};
const store = window.localStorage;
const $ = (id) => document.getElementById(id);
let lang = store.getItem("simtool.lang") ||
  (/^zh-(TW|HK|MO)|Hant/i.test(navigator.language) ? "zh_TW" : /^zh/i.test(navigator.language) ? "zh_CN" : "en");
let token = store.getItem("simtool.token");
let info = null, turns = [], current = null, sheets = {}, online = true, sending = false;
let refusal = "", waitWhy = "";
let client = store.getItem("simtool.client");
if (!client) { client = "d" + Math.random().toString(36).slice(2, 12) + Date.now().toString(36); store.setItem("simtool.client", client); }
const t = (k, n) => (T[lang][k] || T.en[k] || k).replace("{n}", n);
const tx = (o) => (o && (o[lang] || o.en)) || "";
function queue() { try { return JSON.parse(store.getItem("simtool.queue") || "[]"); } catch (e) { return []; } }
function setQueue(q) { store.setItem("simtool.queue", JSON.stringify(q)); }
function nextSeq() { const n = parseInt(store.getItem("simtool.seq") || "0", 10) + 1; store.setItem("simtool.seq", String(n)); return n; }
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); }
  for (const c of kids) if (c !== null && c !== undefined) e.append(c.nodeType ? c : document.createTextNode(String(c)));
  return e;
}
async function api(path, body) {
  const opts = {headers: {"Content-Type": "application/json"}};
  if (token) opts.headers.Authorization = "Bearer " + token;
  if (body !== undefined) { opts.method = "POST"; opts.body = JSON.stringify(body); }
  let r;
  try { r = await fetch("/api/" + path, opts); } catch (e) { online = false; showStatus(); throw {offline: true}; }
  online = true;
  const data = await r.json().catch(() => ({}));
  if (r.status === 401 && path !== "join") { token = null; store.removeItem("simtool.token"); show("join"); }
  if (!r.ok) throw {status: r.status, error: data.error || r.statusText};
  return data;
}
function show(which) { $("join").hidden = which !== "join"; $("mark").hidden = which !== "mark"; }
function translate() {
  document.documentElement.lang = lang.replace("_", "-");
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = t(e.dataset.t); });
  $("lang").value = lang;
  if (info) renderAll();
}
function showStatus() {
  const q = queue(), n = q.length, s = $("status");
  s.className = "status" + (!online ? " offline" : refusal ? " refused" : n ? " unsaved" : "");
  const unsaved = t("unsaved", n) + (waitWhy ? " (" + waitWhy + ")" : "");
  s.textContent = !online ? t("offline", n) : refusal ? refusal + (n ? " · " + unsaved : "") :
    n ? unsaved : t("saved");
}
function pendingFor(cand) { return queue().filter((m) => m.candidate === cand); }
function localMarks(cand) {
  const base = sheets[cand] ? JSON.parse(JSON.stringify(sheets[cand].marks)) : {items: {}, global_grade: null, comment: null};
  base.items = base.items || {};
  for (const m of pendingFor(cand)) {
    if ("item" in m.change) { if (m.change.value === null) delete base.items[m.change.item]; else base.items[m.change.item] = m.change.value; }
    else if ("global" in m.change) base.global_grade = m.change.global;
    else base.comment = m.change.comment;
  }
  return base;
}
function change(ch) {
  const q = queue();
  q.push({candidate: current, client, seq: nextSeq(), change: ch});
  setQueue(q); renderSheet(); showStatus(); flush();
}
async function flush() {
  if (sending) return;
  sending = true;
  try {
    for (;;) {
      const q = queue();
      if (!q.length) break;
      const m = q[0];
      try { await api("mark", m); refusal = ""; waitWhy = ""; }
      catch (e) {
        if (e.offline) { setTimeout(flush, 2000); break; }
        if (e.status === 401) break;
        // busy (429) or failing (5xx): not refused, kept and sent again
        if (e.status === 429 || e.status >= 500) { waitWhy = e.error; setTimeout(flush, 2000); break; }
        refusal = t("wrong") + e.error;   // refused: dropped, and the page keeps saying why
      }
      const rest = queue(); if (rest.length && rest[0].seq === m.seq) rest.shift(); setQueue(rest);
      showStatus(); renderSheet();
    }
    if (!queue().length && current) await loadSheet(current, true);
  } finally { sending = false; showStatus(); }
}
function clockText(c) {
  if (!c || !c.started) return t("before");
  if (c.phase === "before") {
    const m = Math.floor(c.left_s / 60), s = Math.floor(c.left_s % 60);
    return `${t("before")} · ${m}:${String(s).padStart(2, "0")}`;
  }
  if (c.phase === "over") return t("over");
  const m = Math.floor(c.left_s / 60), s = Math.floor(c.left_s % 60);
  return `${t("round")} ${c.round}/${c.rounds} · ${t(c.phase)} · ${m}:${String(s).padStart(2, "0")} ${t("left")}`;
}
async function loadTurns() {
  try { const d = await api("turns"); turns = d.turns; $("clock").textContent = clockText(d.clock); }
  catch (e) { if (e.error) $("clock").textContent = e.error; }
  if (!current && turns.length) current = turns[0].candidate;
  renderTurns();
  if (current && !sheets[current]) await loadSheet(current);
}
async function loadSheet(cand, quiet) {
  try { sheets[cand] = await api("sheet/" + encodeURIComponent(cand)); } catch (e) { if (!quiet && e.error) $("status").textContent = e.error; }
  renderTurns(); renderSheet();
}
function renderTurns() {
  const box = $("turns"); box.replaceChildren(el("h2", {}, t("candidates")));
  if (!turns.length) box.append(el("p", {}, t("no_turn")));
  turns.forEach((x, i) => {
    const state = sheets[x.candidate] ? sheets[x.candidate].state : x.state;
    box.append(el("button", {class: "turn" + (x.candidate === current ? " on" : "") + (i === 0 ? " now" : ""),
      onclick: () => { current = x.candidate; renderTurns(); loadSheet(x.candidate); }},
      `${x.name} · ${t("round")} ${x.round}${i === 0 ? " · " + t("now") : ""} · ${t(state)}`));
  });
}
function choice(label, on, fn) { return el("button", {class: on ? "on" : "", onclick: fn}, label); }
function renderSheet() {
  const box = $("sheet"); box.replaceChildren();
  if (!current || !info) return;
  const sh = sheets[current], marks = localMarks(current), pend = pendingFor(current);
  const signed = sh && sh.state === "signed";
  const who = turns.find((x) => x.candidate === current);
  box.append(el("h2", {}, who ? who.name : ""));
  if (signed) box.append(el("p", {class: "signed"}, t("sheet_signed")));
  for (const it of info.items) {
    const v = marks.items[it.id];
    const wait = pend.some((m) => m.change.item === it.id);
    const row = el("div", {class: "item", "data-item": it.id},
      el("div", {class: "label"}, tx(it.label), it.critical ? el("span", {class: "crit"}, "★ " + t("critical")) : null));
    const ch = el("div", {class: "choices"});
    const set = (val) => () => { if (!signed) change({item: it.id, value: v === val ? null : val}); };
    if (it.kind === "observed") { ch.append(choice(t("done"), v === true, set(true)), choice(t("not_done"), v === false, set(false))); }
    else for (const lv of it.levels) ch.append(choice(`${lv.value} · ${tx(lv.label)}`, v === lv.value, set(lv.value)));
    ch.append(choice(t("not_observed"), v === "not observed", set("not observed")));
    row.append(ch);
    if (wait) row.append(el("div", {class: "pending"}, "● " + t("not_saved")));
    if (signed) ch.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    box.append(row);
  }
  if (info.grades.length) {
    const g = el("div", {class: "item", "data-item": "global"}, el("div", {class: "label"}, t("global")));
    const ch = el("div", {class: "choices"});
    for (const gr of info.grades) { const b = choice(tx(gr.label), marks.global_grade === gr.id, () => { if (!signed) change({global: gr.id}); }); b.disabled = signed; ch.append(b); }
    g.append(ch);
    if (pend.some((m) => "global" in m.change)) g.append(el("div", {class: "pending"}, "● " + t("not_saved")));
    box.append(g);
  }
  const c = el("textarea", {rows: "3", id: "comment", maxlength: "2000"}); c.value = marks.comment || ""; c.disabled = signed;
  c.addEventListener("change", () => change({comment: c.value}));
  box.append(el("label", {}, el("span", {}, t("comment")), c));
  if (sh && sh.total && sh.total.max_points) box.append(el("p", {}, `${t("points")}: ${sh.total.points} / ${sh.total.max_points}`));
  if (!signed) {
    const b = el("button", {id: "sign-btn", class: "primary", onclick: sign}, t("sign"));
    box.append(b);
  }
}
async function sign() {
  if (pendingFor(current).length || !online) { $("status").textContent = t("sign_wait"); return; }
  try { await api("sign", {candidate: current}); } catch (e) { $("status").textContent = e.offline ? t("sign_wait") : t("wrong") + e.error; return; }
  await loadSheet(current); await loadTurns();
}
async function join() {
  $("join-msg").textContent = "";
  try {
    const d = await api("join", {pin: $("pin").value.trim(), staff_id: $("staff").value.trim()});
    token = d.token; store.setItem("simtool.token", token); info = d; start();
  } catch (e) { $("join-msg").textContent = e.offline ? t("offline", queue().length) : e.error; }
}
function renderAll() {
  $("title").textContent = tx(info.exam.title);
  $("station-line").textContent = `${tx(info.station_title)} · ${info.examiner}`;
  renderTurns(); renderSheet(); showStatus();
}
async function start() {
  show("mark"); renderAll(); await loadTurns(); flush();
  if (!window._poll) window._poll = setInterval(() => { loadTurns(); if (queue().length) flush(); }, 5000);
}
$("lang").addEventListener("change", () => { lang = $("lang").value; store.setItem("simtool.lang", lang); translate(); });
$("join-btn").addEventListener("click", join);
window.addEventListener("online", () => flush());
translate();
(async () => {
  if (token) { try { info = await api("me"); start(); return; } catch (e) { if (e.offline) { show("join"); return; } } }
  show("join");
})();
