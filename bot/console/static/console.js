"use strict";
// The staff console: a small page over /staff/api (every check is made by the server).
// DOM is built with textContent only, so no text from the API is ever read as HTML
// (except the dashboard's SVG charts, which our server draws).

const state = {me: null, topics: []};
const API = "/staff/api";
const LANGS = [["fr", "French"], ["en", "English"]];

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function announce(message) {
  const status = document.getElementById("status");
  status.textContent = "";
  window.setTimeout(() => { status.textContent = message; }, 50);
  window.clearTimeout(announce.timer);
  announce.timer = window.setTimeout(() => { status.textContent = ""; }, 20_000);
}

class ApiError extends Error {
  constructor(status, data) {
    super(data.error || `HTTP ${status}`);
    this.status = status;
    this.problems = data.problems || [];
  }
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.me) headers["X-CSRF-Token"] = state.me.csrf;
  const reply = await fetch(API + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const data = (reply.headers.get("Content-Type") || "").includes("json") ? await reply.json() : {};
  if (reply.status === 401) {
    window.location.assign("/staff/login");
    throw new ApiError(401, data);
  }
  if (!reply.ok) throw new ApiError(reply.status, data);
  touch();
  return data;
}

// Idle logout on the page too (the server ends the session on its own clock).
let idleTimer = null;
function touch() {
  if (!state.me) return;
  window.clearTimeout(idleTimer);
  idleTimer = window.setTimeout(() => window.location.assign("/staff/login"), state.me.idle_minutes * 60 * 1000);
}

function can(permission) {
  return state.me && state.me.permissions.includes(permission);
}

function view(title, ...children) {
  const main = document.getElementById("main");
  main.replaceChildren(h("h1", {text: title}), ...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  document.title = `${title} – Staff console – Institut Curie assistant`;
  // After a change of section, reading starts at the new content (not on the first load:
  // Tab then reaches the skip link first).
  if (state.navigated) main.focus();
}

function errorBox(error) {
  return h("div", {class: "error", role: "alert"}, h("p", {text: error.message}), problemList(error.problems || []));
}

function problemList(problems) {
  if (!problems.length) return null;
  return h("ul", {class: "problems"}, problems.map((p) =>
    h("li", {class: p.severity},
      h("strong", {text: p.severity === "error" ? "Error: " : "Warning: "}), p.message,
      h("br"), h("span", {class: "fix", text: `Fix: ${p.fix}`}))));
}

function when(iso) {
  return iso ? iso.replace("T", " ").replace("+00:00", " UTC") : "";
}

const STATUS_LABELS = {
  draft: "Draft", pending: "Waiting for review", approved: "Approved, not yet live", rejected: "Rejected",
  published: "Live", archived: "Replaced", superseded: "Replaced by a newer draft", imported: "Live (from the files)",
  rolled_back: "Rolled back",
};

function badge(status) {
  return h("span", {class: `badge ${status}`, text: STATUS_LABELS[status] || status});
}

// -- entries ---------------------------------------------------------------------------------

async function showEntries() {
  const search = h("input", {id: "entry-search", type: "search", value: sessionStorage.getItem("q") || ""});
  const results = h("div", {id: "entry-list"});
  const load = async () => {
    sessionStorage.setItem("q", search.value);
    const data = await api("GET", `/entries?q=${encodeURIComponent(search.value)}`);
    state.topics = [...new Set(data.entries.map((e) => e.topic))];
    const byTopic = {};
    for (const entry of data.entries) (byTopic[entry.topic_title] ||= []).push(entry);
    results.replaceChildren(...Object.entries(byTopic).map(([topic, rows]) => h("section", {},
      h("h2", {text: topic}),
      h("table", {class: "entries"}, h("thead", {}, h("tr", {}, ["Entry", "Example question", "Review by", "Status"].map((t) => h("th", {scope: "col", text: t})))),
        h("tbody", {}, rows.map((e) => h("tr", {},
          h("td", {}, h("a", {href: `#/entry/${e.id}`, text: e.id})),
          h("td", {text: e.question}),
          h("td", {class: e.overdue ? "late" : ""}, e.review_by || "missing", e.overdue ? " (past)" : ""),
          h("td", {}, e.change ? badge(e.change.status) : badge("published"), e.live ? "" : " (new)"))))))));
    if (!data.entries.length) results.replaceChildren(h("p", {text: "No entry matches."}));
  };
  let timer = null;
  search.addEventListener("input", () => { window.clearTimeout(timer); timer = window.setTimeout(load, 300); });
  view("Entries",
    h("div", {class: "toolbar"},
      h("label", {for: "entry-search", text: "Search entries"}), search,
      can("edit") ? h("a", {class: "button", href: "#/new", text: "Add an entry"}) : null),
    results);
  await load();
}

function textarea(id, label, value, rows = 4, help = null) {
  return h("div", {class: "field"},
    h("label", {for: id, text: label}),
    help ? h("p", {class: "help", id: `${id}-help`, text: help}) : null,
    h("textarea", {id, rows, "aria-describedby": help ? `${id}-help` : null}, value));
}

function input(id, label, value, attrs = {}) {
  return h("div", {class: "field"}, h("label", {for: id, text: label}), h("input", {id, value: value || "", ...attrs}));
}

function formData(entryId) {
  const value = (id) => document.getElementById(id).value;
  const lines = (id) => value(id).split("\n").map((s) => s.trim()).filter(Boolean);
  return {
    id: entryId || value("f-id").trim(),
    topic: value("f-topic").trim(),
    review_by: value("f-review"),
    answer: {fr: value("f-answer-fr"), en: value("f-answer-en")},
    examples: {fr: lines("f-examples-fr"), en: lines("f-examples-en")},
    source: {
      document: {fr: value("f-doc-fr"), en: value("f-doc-en")},
      date: {fr: value("f-date-fr"), en: value("f-date-en")},
    },
  };
}

async function showEditor(entryId, prefill = null, inboxItem = null) {
  let detail = null;
  let data = prefill || {id: "", topic: state.topics[0] || "", answer: {fr: "", en: ""}, examples: {fr: [], en: []},
    source: {document: {fr: "", en: ""}, date: {fr: "", en: ""}}, review_by: ""};
  if (entryId) {
    detail = await api("GET", `/entries/${encodeURIComponent(entryId)}`);
    data = (detail.open && detail.open.data) || detail.live || data;
  }
  const problems = h("div", {id: "problems", "aria-live": "polite"});
  const message = h("div", {id: "save-message", role: "status"});
  let timer = null;
  const check = async () => {
    try {
      const result = await api("POST", "/entries/validate", {entry: formData(entryId)});
      problems.replaceChildren(result.problems.length
        ? h("div", {}, h("h2", {text: "Problems"}), problemList(result.problems))
        : h("p", {class: "ok", text: "No problem found."}));
    } catch (error) {
      problems.replaceChildren(errorBox(error));
    }
  };
  const save = async (submit) => {
    message.replaceChildren();
    try {
      const body = {entry: formData(entryId), submit, note: document.getElementById("f-note").value};
      if (inboxItem) body.inbox_item = inboxItem;
      const result = await api("POST", "/entries", body);
      const text = submit ? "Submitted for review: a medical reviewer must approve it before it reaches patients."
        : "Draft saved.";
      go(`#/entry/${result.version.entry_id}`);
      window.setTimeout(() => announce(text), 300);
    } catch (error) {
      message.replaceChildren(errorBox(error));
      if (error.problems.length) problems.replaceChildren(h("div", {}, h("h2", {text: "Problems"}), problemList(error.problems)));
      message.querySelector("p").setAttribute("tabindex", "-1");
      message.querySelector("p").focus();
    }
  };
  const form = h("form", {id: "entry-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); save(true); }},
    entryId ? null : input("f-id", "Id (lowercase letters, digits and _)", data.id, {required: true}),
    input("f-topic", "Topic", data.topic, {list: "topics", required: true}),
    h("datalist", {id: "topics"}, state.topics.map((t) => h("option", {value: t}))),
    input("f-review", "Review by", data.review_by, {type: "date"}),
    h("div", {class: "columns"}, LANGS.map(([lang, name]) => h("fieldset", {},
      h("legend", {text: name}),
      textarea(`f-answer-${lang}`, `Answer (${name})`, data.answer[lang], 6),
      textarea(`f-examples-${lang}`, `Example questions (${name})`, data.examples[lang].join("\n"), 7,
        "One question per line, as a patient would ask it; at least 5."),
      input(`f-doc-${lang}`, `Source document (${name})`, data.source.document[lang]),
      input(`f-date-${lang}`, `Date of the source (${name})`, data.source.date[lang])))),
    input("f-note", "Note for the reviewer (optional)", ""),
    h("div", {class: "buttons"},
      h("button", {type: "button", onclick: check, text: "Check"}),
      h("button", {type: "button", onclick: () => save(false), text: "Save draft"}),
      h("button", {type: "submit", class: "primary", text: "Submit for review"}),
      entryId && detail.live ? h("button", {type: "button", class: "danger", onclick: () => retire(entryId, data), text: "Retire this entry"}) : null));
  form.addEventListener("input", () => { window.clearTimeout(timer); timer = window.setTimeout(check, 700); });
  const readOnly = !can("edit");
  view(entryId ? `Entry ${entryId}` : "New entry",
    detail && detail.open ? h("p", {}, "Open change: ", badge(detail.open.status), ` (version ${detail.open.number} by ${detail.open.author})`) : null,
    readOnly ? readOnlyEntry(data) : form,
    message, problems,
    detail ? history(detail) : null);
}

function readOnlyEntry(data) {
  return h("div", {},
    h("p", {text: `Topic: ${data.topic} · review by ${data.review_by || "(missing)"}`}),
    h("div", {class: "columns"}, LANGS.map(([lang, name]) => h("section", {class: "card"},
      h("h2", {text: name}),
      h("p", {text: data.answer[lang]}),
      h("p", {class: "help", text: `Source: ${data.source.document[lang]} (${data.source.date[lang]})`}),
      h("h3", {class: "h4", text: "Example questions"}),
      h("ul", {}, data.examples[lang].map((e) => h("li", {text: e})))))),
    h("p", {class: "help", text: "Your role can read entries but not change them."}));
}

async function retire(entryId, data) {
  try {
    await api("POST", "/entries", {entry: {...data, retired: true}, submit: true, note: "retire"});
    go("#/entries");
    window.setTimeout(() => announce("Retirement submitted for review."), 300);
  } catch (error) {
    document.getElementById("save-message").replaceChildren(errorBox(error));
  }
}

function diffView(diff) {
  return h("div", {class: "diff"}, LANGS.map(([lang, name]) => h("div", {},
    h("h3", {class: "h4", text: `${name} answer`}),
    // The live text with what goes away, then the proposed text with what comes in.
    diff.new_entry ? null : h("p", {class: "before"}, h("span", {class: "label", text: "Live: "}),
      diff[lang].answer.filter((p) => p.op !== "added").map((p) => p.op === "same" ? `${p.text} ` : h("del", {}, p.text, " "))),
    diff.retired ? null : h("p", {class: "after"}, h("span", {class: "label", text: "Proposed: "}),
      diff[lang].answer.filter((p) => p.op !== "removed").map((p) => p.op === "same" ? `${p.text} ` : h("ins", {}, p.text, " "))),
    diff[lang].examples_added.length ? h("p", {}, "Examples added: ", diff[lang].examples_added.join(" · ")) : null,
    diff[lang].examples_removed.length ? h("p", {}, "Examples removed: ", diff[lang].examples_removed.join(" · ")) : null)),
    diff.new_entry ? h("p", {text: "New entry."}) : null,
    diff.retired ? h("p", {class: "late", text: "This version retires the entry."}) : null,
    diff.other_changes && diff.other_changes.length ? h("p", {text: `Also changed: ${diff.other_changes.join(", ")}`}) : null);
}

function history(detail) {
  const liveVersion = detail.versions.find((v) => ["published", "imported"].includes(v.status));
  return h("section", {}, h("h2", {text: "History"}),
    h("table", {}, h("thead", {}, h("tr", {}, ["Version", "Status", "Written by", "Signed off", "Actions"].map((t) => h("th", {scope: "col", text: t})))),
      h("tbody", {}, detail.versions.map((v) => {
        const diffCell = h("div");
        return h("tr", {},
          h("td", {}, `${v.number} · ${when(v.created_at)}`, v.note ? h("br") : null, v.note),
          h("td", {}, badge(v.status)),
          h("td", {text: v.author}),
          h("td", {}, v.reviewer ? `${v.reviewer}, ${when(v.reviewed_at)}` : "", v.comment ? h("br") : null, v.comment ? `“${v.comment}”` : null),
          h("td", {},
            h("button", {type: "button", class: "small", onclick: async () => diffCell.replaceChildren(diffView(await api("GET", `/versions/${v.id}/diff`))),
              text: "Compare with live", "aria-label": `Compare version ${v.number} with the live entry`}),
            v.status === "draft" && can("edit") ? h("button", {type: "button", class: "small", text: "Submit for review",
              onclick: async () => { try { await api("POST", `/versions/${v.id}/submit`); announce("Submitted for review."); route(); } catch (e) { diffCell.replaceChildren(errorBox(e)); } }}) : null,
            can("edit") && v !== liveVersion && !["pending", "draft", "approved"].includes(v.status) ? h("button", {type: "button", class: "small", text: "Restore",
              "aria-label": `Restore version ${v.number}`,
              onclick: async () => { try { await api("POST", `/versions/${v.id}/restore`); announce(`Version ${v.number} restored, waiting for review.`); route(); } catch (e) { diffCell.replaceChildren(errorBox(e)); } }}) : null,
            diffCell));
      }))));
}

// -- reviews ---------------------------------------------------------------------------------

async function showReviews() {
  const data = await api("GET", "/reviews");
  const items = data.versions.map((v) => {
    const comment = h("textarea", {id: `c-${v.id}`, rows: 2});
    const result = h("div", {role: "status"});
    const act = async (verb) => {
      try {
        await api("POST", `/versions/${v.id}/${verb}`, {comment: comment.value});
        announce(verb === "approve" ? `Version ${v.number} of ${v.entry_id} approved.` : `Version ${v.number} of ${v.entry_id} rejected.`);
        await showReviews();
      } catch (error) {
        result.replaceChildren(errorBox(error));
      }
    };
    return h("article", {class: "card"},
      h("h2", {}, h("a", {href: `#/entry/${v.entry_id}`, text: v.entry_id}), ` · version ${v.number}`),
      h("p", {text: `By ${v.author}, ${when(v.created_at)}${v.note ? ` — ${v.note}` : ""}`}),
      diffView(v.diff),
      can("review") ? h("div", {},
        h("div", {class: "field"}, h("label", {for: `c-${v.id}`, text: "Comment (required to reject)"}), comment),
        h("div", {class: "buttons"},
          h("button", {type: "button", class: "primary", onclick: () => act("approve"), text: "Approve", "aria-label": `Approve ${v.entry_id} version ${v.number}`}),
          h("button", {type: "button", class: "danger", onclick: () => act("reject"), text: "Reject", "aria-label": `Reject ${v.entry_id} version ${v.number}`}))) : null,
      result);
  });
  view("Reviews", items.length ? items : h("p", {text: "Nothing is waiting for review."}));
}

// -- preview & publish -----------------------------------------------------------------------

let pollTimer = null;
async function showPreview() {
  window.clearTimeout(pollTimer);
  const data = await api("GET", "/preview");
  const pubs = await api("GET", "/publications");
  const result = h("div", {role: "status", id: "preview-result"});
  const act = async (method, path, body, done) => {
    try { const r = await api(method, path, body); if (done) done(r); await showPreview(); }
    catch (error) { document.getElementById("preview-result").replaceChildren(errorBox(error)); }
  };
  const busy = ["training", "starting"].includes(data.status);
  const parts = [
    h("section", {}, h("h2", {text: "Approved changes"}),
      data.approved.length ? h("ul", {}, data.approved.map((v) => h("li", {}, h("a", {href: `#/entry/${v.entry_id}`, text: v.entry_id}),
        ` · version ${v.number} by ${v.author}, approved by ${v.reviewer}`))) : h("p", {text: "No approved change waits to be published."}),
      h("p", {}, h("strong", {text: "Preview: "}), data.message),
      busy ? h("p", {}, h("label", {for: "train-progress", text: "Training progress "}),
        h("progress", {id: "train-progress", max: 100, value: data.progress}, `${data.progress} %`), ` ${data.progress} % · ${data.elapsed_s || 0} s`) : null,
      h("div", {class: "buttons"},
        can("preview") && data.approved.length ? h("button", {type: "button", disabled: busy, text: "Preview the approved changes",
          onclick: () => act("POST", "/preview", undefined, () => announce("Training the preview model…"))}) : null,
        can("publish") && data.status === "ready" ? h("button", {type: "button", class: "primary", text: "Publish to patients",
          onclick: () => act("POST", "/publish", undefined, (r) => announce(`Published. ${r.message}`))}) : null),
      result),
  ];
  if (data.status === "ready") parts.push(chatBox(), compareBox());
  parts.push(h("section", {}, h("h2", {text: "Publications"}),
    pubs.publications.length ? h("table", {}, h("thead", {}, h("tr", {}, ["#", "When", "By", "Model", "Status"].map((t) => h("th", {scope: "col", text: t})))),
      h("tbody", {}, pubs.publications.map((p) => h("tr", {}, h("td", {text: p.id}), h("td", {text: new Date(p.at * 1000).toLocaleString()}),
        h("td", {text: p.by}), h("td", {text: p.model}), h("td", {text: p.status === "live" ? "live" : `rolled back by ${p.rolled_back_by}`})))))
      : h("p", {text: "Nothing was published from the console yet."}),
    can("publish") && pubs.publications.some((p) => p.status === "live") ? h("button", {type: "button", class: "danger", text: "Roll back the last publication",
      onclick: () => act("POST", "/rollback", undefined, (r) => announce(`Rolled back: the assistant uses ${r.model} again.`))}) : null));
  view("Preview & publish", ...parts);
  if (busy) pollTimer = window.setTimeout(async () => { if (window.location.hash.startsWith("#/preview")) await showPreview(); }, 2000);
}

function chatBox() {
  const log = h("ol", {id: "preview-log", class: "chat-log", "aria-live": "polite"});
  const text = h("input", {id: "preview-text", autocomplete: "off"});
  const lang = h("select", {id: "preview-lang"}, LANGS.map(([code, name]) => h("option", {value: code, text: name})));
  const send = async (event) => {
    event.preventDefault();
    const question = text.value.trim();
    if (!question) return;
    log.append(h("li", {class: "me", text: question}));
    text.value = "";
    try {
      const reply = await api("POST", "/preview/chat", {text: question, lang: lang.value});
      log.append(h("li", {class: "bot"}, reply.replies.join("\n\n") || "(no answer)"));
    } catch (error) {
      log.append(h("li", {class: "error", text: error.message}));
    }
  };
  return h("section", {}, h("h2", {text: "Ask the preview assistant"}),
    h("form", {id: "preview-chat", onsubmit: send},
      h("div", {class: "field"}, h("label", {for: "preview-lang", text: "Language"}), lang),
      h("div", {class: "field"}, h("label", {for: "preview-text", text: "Question"}), text),
      h("button", {type: "submit", text: "Ask"})),
    log);
}

function compareBox() {
  const box = h("div", {}, h("button", {type: "button", text: "Compare live and preview answers", onclick: async () => {
    box.replaceChildren(h("p", {text: "Asking both assistants…"}));
    try {
      const data = await api("GET", "/preview/compare");
      box.replaceChildren(...data.entries.map((e) => h("section", {}, h("h3", {text: e.entry_id}),
        h("table", {}, h("thead", {}, h("tr", {}, ["Question", "Live answer", "Preview answer"].map((t) => h("th", {scope: "col", text: t})))),
          h("tbody", {}, e.questions.map((q) => h("tr", {}, h("td", {text: `${q.question} (${q.lang})`}),
            h("td", {text: q.live.answer}), h("td", {text: q.preview.answer}))))))));
    } catch (error) { box.replaceChildren(errorBox(error)); }
  }}));
  return h("section", {}, h("h2", {text: "Live and preview, side by side"}), box);
}

// -- inbox, dashboard, audit -----------------------------------------------------------------

async function showInbox() {
  const data = await api("GET", "/inbox");
  const entryIds = (await api("GET", "/entries")).entries.map((e) => e.id);
  const card = (item) => {
    const result = h("div", {role: "status"});
    const entry = h("select", {id: `i-${item.id}`}, entryIds.map((id) => h("option", {value: id, selected: id === item.suggestion, text: id})));
    const act = async (path, body) => {
      try { await api("POST", `/inbox/${item.id}/${path}`, body); announce("Done."); await showInbox(); }
      catch (error) { result.replaceChildren(errorBox(error)); }
    };
    const examples = {fr: item.language === "fr" ? [item.text] : [], en: item.language === "en" ? [item.text] : []};
    return h("article", {class: "card"},
      h("h3", {text: `“${item.text}”`}),
      h("p", {text: `${item.count} time(s) in ${item.conversations} conversation(s) · ${item.language || "language unknown"} · ${item.reason}`}),
      item.answer ? h("p", {}, h("strong", {text: "Answer given: "}), item.answer) : null,
      item.similar.length ? h("p", {text: `Similar: ${item.similar.join(" · ")}`}) : null,
      h("div", {class: "toolbar"},
        h("label", {for: `i-${item.id}`, text: "Entry"}), entry,
        h("button", {type: "button", onclick: () => act("example", {entry_id: entry.value}), text: "Add as an example",
          "aria-label": `Add “${item.text}” as an example of the chosen entry`}),
        h("button", {type: "button", text: "New entry from it", onclick: () => showEditor(null, {id: "", topic: state.topics[0] || "",
          answer: {fr: "", en: ""}, examples, source: {document: {fr: "", en: ""}, date: {fr: "", en: ""}}, review_by: ""}, item.id)}),
        h("button", {type: "button", onclick: () => act("dismiss"), text: "Dismiss", "aria-label": `Dismiss “${item.text}”`})),
      result);
  };
  view("Inbox",
    h("p", {text: "Questions the assistant did not understand well. Texts are masked; an example or entry made from them waits for review."}),
    h("h2", {text: "Not understood"}),
    data.items.length ? data.items.map(card) : h("p", {text: "The inbox is empty."}),
    h("h2", {text: "Answers marked “not helpful”"}),
    data.not_helpful.length ? data.not_helpful.map(card) : h("p", {text: "None yet."}));
}

function svg(markup) {
  const wrapper = h("figure", {class: "chart"});
  wrapper.innerHTML = markup; // drawn by our server, with escaped labels
  return wrapper;
}

async function showDashboard() {
  const data = await api("GET", "/dashboard");
  const t = data.totals;
  view("Dashboard",
    h("ul", {class: "totals"},
      h("li", {}, h("strong", {text: t.conversations || 0}), " conversations"),
      h("li", {}, h("strong", {text: t.messages || 0}), " messages"),
      h("li", {}, h("strong", {text: t.emergencies || 0}), " emergencies shown"),
      h("li", {}, h("strong", {text: data.overdue.length}), " entries past their review date")),
    h("h2", {text: "Messages"}), svg(data.charts.messages),
    h("h2", {text: "Conversations"}), svg(data.charts.conversations),
    h("h2", {text: "How well it answered"}), svg(data.charts.shares),
    h("h2", {text: "Most asked entries"}), svg(data.charts.asked),
    h("h2", {text: "Trials from the registry"}), h("pre", {class: "sync", text: data.trial_sync.text}),
    h("h2", {text: "Past their review date"}),
    data.overdue.length ? h("ul", {}, data.overdue.map((e) => h("li", {}, h("a", {href: `#/entry/${e.id}`, text: e.id}), ` (review by ${e.review_by})`)))
      : h("p", {text: "None."}));
}

async function showAudit() {
  const fields = [["user", "User"], ["action", "Action"], ["since", "From (YYYY-MM-DD)"], ["until", "To (YYYY-MM-DD)"]];
  const params = new URLSearchParams(window.location.hash.split("?")[1] || "");
  const table = h("div");
  const form = h("form", {class: "toolbar", onsubmit: async (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [key] of fields) { const v = document.getElementById(`a-${key}`).value.trim(); if (v) q.set(key, v); }
    window.location.hash = `#/audit?${q}`;
  }}, fields.map(([key, label]) => h("span", {}, h("label", {for: `a-${key}`, text: label}), h("input", {id: `a-${key}`, value: params.get(key) || ""}))),
    h("button", {type: "submit", text: "Filter"}),
    h("a", {class: "button", href: `${API}/audit.csv?${params}`, text: "Export as CSV"}));
  view("Audit log", form, table);
  try {
    const data = await api("GET", `/audit?${params}`);
    table.replaceChildren(h("table", {}, h("thead", {}, h("tr", {}, ["When (UTC)", "User", "Action", "Entry", "Details"].map((t) => h("th", {scope: "col", text: t})))),
      h("tbody", {}, data.lines.map((l) => h("tr", {}, h("td", {text: when(l.at)}), h("td", {text: l.user}), h("td", {text: l.action}), h("td", {text: l.target}), h("td", {text: l.detail}))))));
  } catch (error) { table.replaceChildren(errorBox(error)); }
}

async function showUsers() {
  const data = await api("GET", "/users");
  view("Users",
    h("p", {text: "Accounts are created on the server: bot staff add-user NAME --role editor|reviewer|admin."}),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Role", "State"].map((t) => h("th", {scope: "col", text: t})))),
      h("tbody", {}, data.users.map((u) => h("tr", {}, h("td", {text: u.name}), h("td", {text: u.role}),
        h("td", {text: !u.active ? "disabled" : (u.locked ? "locked (too many failed logins)" : "active")}))))));
}

// -- routing ---------------------------------------------------------------------------------

function go(hash) {
  state.navigated = true;
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

async function route() {
  const hash = window.location.hash || "#/entries";
  const path = hash.slice(1).split("?")[0];
  for (const link of document.querySelectorAll("#nav a")) {
    if (path.startsWith(link.getAttribute("href").slice(1))) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  try {
    if (path.startsWith("/entry/")) await showEditor(decodeURIComponent(path.slice(7)));
    else if (path === "/new") await showEditor(null);
    else if (path === "/reviews") await showReviews();
    else if (path === "/preview") await showPreview();
    else if (path === "/inbox") await showInbox();
    else if (path === "/dashboard") await showDashboard();
    else if (path === "/audit") await showAudit();
    else if (path === "/users") await showUsers();
    else await showEntries();
  } catch (error) {
    if (error.status !== 401) view("Problem", errorBox(error));
  }
}

async function start() {
  try {
    state.me = await api("GET", "/me");
  } catch (error) {
    return;
  }
  document.getElementById("who").textContent = `${state.me.name} (${state.me.role})`;
  for (const link of document.querySelectorAll("#nav a")) {
    const needs = {"#/inbox": "inbox", "#/audit": "audit", "#/users": "users"}[link.getAttribute("href")];
    if (needs && !can(needs)) link.parentElement.remove();
  }
  document.getElementById("logout").addEventListener("click", async () => {
    await api("POST", "/logout").catch(() => null);
    window.location.assign("/staff/login");
  });
  window.addEventListener("hashchange", () => { state.navigated = true; route(); });
  await route();
}

start();
