/*
 * Institut Curie immunotherapy center: chat widget for Rasa's REST channel.
 * Plain JavaScript, no dependency, no build step. One tag drops it into a page:
 *
 *   <script src="/static/curie-chat.js" data-rasa-url="http://127.0.0.1:5005"
 *           data-lang="fr" defer></script>
 *
 * Optional attributes: data-target="<element id>" (render inline there; otherwise a floating
 * button opens it), data-privacy-url, data-storage="session" (default) or "local",
 * data-feedback-url (where "helpful?" votes go; default /api/feedback next to this script,
 * "none" to hide the buttons; only a same-origin URL is used: the page server sends no CORS).
 * window.CurieChatConfig = {...} set before the script gives the same options in camelCase
 * (attributes win), plus retries, retryDelayMs and timeoutMs.
 *
 * Safety rule for this file: bot content only ever reaches the page through textContent and
 * attribute values checked against an allow-list (http, https, tel). Never innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;

  var STRINGS = {
    fr: {
      title: "Assistant du Centre d'immunothérapie",
      open: "Poser une question à l'assistant",
      close: "Fermer l'assistant",
      noticeLead: "Assistant automatisé, pas pour les urgences.",
      noticeCall: "Urgence médicale : appelez le ",
      or: " ou le ",
      noticeEnd: ".",
      privacy: "Données et confidentialité",
      logLabel: "Conversation avec l'assistant",
      hint: "Posez votre question sur le centre, l'immunothérapie ou les essais cliniques. " +
        "N'écrivez pas d'informations médicales personnelles.",
      inputLabel: "Votre message",
      placeholder: "Votre question…",
      send: "Envoyer",
      reset: "Nouvelle conversation",
      resetDone: "Nouvelle conversation commencée.",
      you: "Vous : ",
      bot: "Assistant : ",
      typing: "L'assistant écrit…",
      busy: "Patientez : l'assistant répond à votre message précédent.",
      retrying: function (s) {
        return "Le service ne répond pas. Nouvelle tentative dans " + s + " s…";
      },
      errorNetwork: "Le service de discussion ne répond pas pour le moment. " +
        "Votre message n'est pas perdu : vous pouvez le renvoyer.",
      errorTimeout: "Le service de discussion met trop de temps à répondre. " +
        "Votre message n'est pas perdu : vous pouvez le renvoyer.",
      errorServer: "Le service de discussion a rencontré une erreur. " +
        "Votre message n'est pas perdu : vous pouvez le renvoyer.",
      resend: "Renvoyer le message",
      notSent: "Non envoyé",
      noReply: "L'assistant n'a pas répondu. Vous pouvez reformuler votre question.",
      newTab: " (nouvel onglet)",
      quickReplies: "Réponses proposées",
      cards: "Essais cliniques",
      cardId: "Référence",
      cardPhase: "Phase",
      cardStatus: "Statut",
      cardWhere: "Lieu",
      cardLink: "Voir la fiche de l'essai",
      image: "Image envoyée par l'assistant",
      feedbackAsk: "Cette réponse vous a-t-elle aidé ?",
      feedbackYes: "Oui",
      feedbackNo: "Non",
      feedbackYesLabel: "Oui, cette réponse m'a aidé",
      feedbackNoLabel: "Non, cette réponse ne m'a pas aidé",
      feedbackThanks: "Merci pour votre retour.",
      feedbackFailed: "Votre avis n'a pas pu être envoyé. Vous pouvez réessayer plus tard."
    },
    en: {
      title: "Immunotherapy Center assistant",
      open: "Ask the assistant a question",
      close: "Close the assistant",
      noticeLead: "Automated assistant, not for emergencies.",
      noticeCall: "Medical emergency: call ",
      or: " or ",
      noticeEnd: ".",
      privacy: "Data and privacy",
      logLabel: "Conversation with the assistant",
      hint: "Ask about the center, immunotherapy or clinical trials. " +
        "Please do not type personal medical details.",
      inputLabel: "Your message",
      placeholder: "Your question…",
      send: "Send",
      reset: "New conversation",
      resetDone: "New conversation started.",
      you: "You: ",
      bot: "Assistant: ",
      typing: "The assistant is typing…",
      busy: "Please wait: the assistant is answering your previous message.",
      retrying: function (s) {
        return "The service is not responding. Trying again in " + s + " s…";
      },
      errorNetwork: "The chat service is not responding right now. " +
        "Your message is not lost: you can send it again.",
      errorTimeout: "The chat service is taking too long to answer. " +
        "Your message is not lost: you can send it again.",
      errorServer: "The chat service ran into an error. " +
        "Your message is not lost: you can send it again.",
      resend: "Send the message again",
      notSent: "Not sent",
      noReply: "The assistant did not answer. You can rephrase your question.",
      newTab: " (new tab)",
      quickReplies: "Suggested replies",
      cards: "Clinical trials",
      cardId: "Reference",
      cardPhase: "Phase",
      cardStatus: "Status",
      cardWhere: "Location",
      cardLink: "See the trial page",
      image: "Image sent by the assistant",
      feedbackAsk: "Was this answer helpful?",
      feedbackYes: "Yes",
      feedbackNo: "No",
      feedbackYesLabel: "Yes, this answer helped me",
      feedbackNoLabel: "No, this answer did not help me",
      feedbackThanks: "Thanks for your feedback.",
      feedbackFailed: "Your feedback could not be sent. You can try again later."
    }
  };

  var MAX_ENTRIES = 200; // keeps browser storage small on long conversations
  // 502: a proxy could not reach Rasa, so the message surely was not handled: worth retrying.
  // 503/504 mean "took too long" (our REST channel answers 503 on a timeout): Rasa may have
  // handled the message, so the person decides whether to resend it.
  var RETRY_STATUSES = [502];
  var SLOW_STATUSES = [503, 504];

  // ---------------------------------------------------------------- safe text → nodes

  var SAFE_PROTOCOLS = ["http:", "https:", "tel:"];

  /** The href if its protocol is allowed, else null. */
  function safeHref(href, protocols) {
    try {
      var url = new URL(String(href));
      return (protocols || SAFE_PROTOCOLS).indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  var URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
  var TEL_URI_RE = /\btel:\+?\d[\d.\-]*\d/gi;
  // French numbers: 01 23 45 67 89, 01.23.45.67.89, +33 1 23 45 67 89.
  var FR_PHONE_RE = /(?:\+33\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b/g;
  // Short emergency numbers are linked only after a verb of calling ("appelez le 15 ou le
  // 112", "call 112") or next to SAMU, so that "15 minutes" or "le 15 mars" stay plain text.
  var SHORT_NUMBER = "(?:116117|3114|112|114|115|119|15|17|18)";
  var CALL_RE = new RegExp(
    "\\b(?:appel(?:ez|er|le|lez|ant)|composez|composer|contactez|joignez|faites|call(?:ing)?|dial(?:ling)?|phone|ring)" +
      "\\s+(?:(?:le|the)\\s+)?" + SHORT_NUMBER + "\\b" +
      "(?:\\s*(?:,|ou|or)\\s*(?:(?:le|the)\\s+)?" + SHORT_NUMBER + "\\b)*",
    "gi"
  );
  var SAMU_RE = new RegExp("\\bSAMU\\s*[(\\-–:]?\\s*15\\b|\\b15\\s*\\(SAMU\\)", "gi");
  var NUMBER_IN_RE = new RegExp("\\b" + SHORT_NUMBER + "\\b", "g");

  function trimUrl(raw) {
    // Sentence punctuation after a URL belongs to the sentence, not to the URL.
    var url = raw.replace(/[.,;:!?'"»\]}]+$/, "");
    while (url.slice(-1) === ")" && url.split("(").length < url.split(")").length) {
      url = url.slice(0, -1).replace(/[.,;:!?'"»\]}]+$/, "");
    }
    return url;
  }

  /**
   * Splits text into [{text}] and [{text, href}] parts. Only http, https and tel links come
   * out, each checked by safeHref; everything else stays text.
   */
  function tokenize(text) {
    text = String(text == null ? "" : text);
    var spans = [];
    function add(start, label, href) {
      var safe = safeHref(href);
      if (safe) spans.push({ start: start, end: start + label.length, href: safe });
    }
    var m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var url = trimUrl(m[0]);
      add(m.index, url, url);
    }
    TEL_URI_RE.lastIndex = 0;
    while ((m = TEL_URI_RE.exec(text))) {
      add(m.index, m[0], "tel:" + m[0].slice(4).replace(/[^\d+]/g, ""));
    }
    FR_PHONE_RE.lastIndex = 0;
    while ((m = FR_PHONE_RE.exec(text))) {
      var before = text.charAt(m.index - 1);
      if (/[\d+]/.test(before)) continue; // part of a longer number
      add(m.index, m[0], "tel:" + m[0].replace(/[^\d+]/g, ""));
    }
    [CALL_RE, SAMU_RE].forEach(function (re) {
      re.lastIndex = 0;
      while ((m = re.exec(text))) {
        var n;
        NUMBER_IN_RE.lastIndex = 0;
        while ((n = NUMBER_IN_RE.exec(m[0]))) {
          add(m.index + n.index, n[0], "tel:" + n[0]);
        }
      }
    });
    spans.sort(function (a, b) {
      return a.start - b.start || b.end - a.end;
    });
    var parts = [];
    var pos = 0;
    spans.forEach(function (s) {
      if (s.start < pos) return; // overlaps a link already taken (e.g. digits inside a URL)
      if (s.start > pos) parts.push({ text: text.slice(pos, s.start) });
      parts.push({ text: text.slice(s.start, s.end), href: s.href });
      pos = s.end;
    });
    if (pos < text.length) parts.push({ text: text.slice(pos) });
    return parts;
  }

  /** Element helper: attributes are set one by one, children are nodes or plain strings. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === false || value == null) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child == null) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function srOnly(text) {
    return el("span", { className: "cc-sr", text: text });
  }

  var SVG_NS = "http://www.w3.org/2000/svg";

  /** A thumb up (or down) icon, decorative: the button's text says the same. */
  function thumb(down) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "cc-thumb" + (down ? " cc-thumb--down" : ""));
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z");
    svg.appendChild(path);
    return svg;
  }

  function linkNode(label, href, t) {
    var external = href.indexOf("http") === 0;
    var a = el("a", { href: href, className: "cc-link" }, [label]);
    if (external) {
      // Keep the conversation open; don't hand the opened page a handle on this one.
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(t.newTab));
    }
    return a;
  }

  function textWithLinks(text, t) {
    var frag = document.createDocumentFragment();
    tokenize(text).forEach(function (part) {
      frag.appendChild(part.href ? linkNode(part.text, part.href, t) : document.createTextNode(part.text));
    });
    return frag;
  }

  // ---------------------------------------------------------------- options and storage

  function readOptions() {
    var global = window.CurieChatConfig || {};
    var data = (script && script.dataset) || {};
    function pick(name) {
      return data[name] != null && data[name] !== "" ? data[name] : global[name];
    }
    var lang = String(pick("lang") || document.documentElement.lang || "fr").toLowerCase();
    lang = lang.indexOf("en") === 0 ? "en" : "fr";
    var scriptUrl = script && script.src ? new URL(script.src, document.baseURI) : new URL(document.baseURI);
    var rasaUrl = String(pick("rasaUrl") || "http://localhost:5005").replace(/\/+$/, "");
    var privacy = pick("privacyUrl") || (lang === "en" ? "/en/privacy/" : "/fr/confidentialite/");
    var feedback = pick("feedbackUrl") || "/api/feedback";
    var feedbackUrl = feedback === "none" ? null : new URL(feedback, scriptUrl);
    function num(name, dflt, min, max) {
      var n = parseInt(pick(name), 10);
      return isNaN(n) ? dflt : Math.max(min, Math.min(max, n));
    }
    return {
      lang: lang,
      rasaUrl: rasaUrl,
      target: pick("target") || null,
      privacyUrl: new URL(privacy, scriptUrl).href,
      // Votes go to our page server only: on another site's page the POST would be refused.
      feedbackUrl: feedbackUrl && feedbackUrl.origin === window.location.origin ? feedbackUrl.href : null,
      storage: pick("storage") === "local" ? "local" : "session",
      css: pick("css") === "none" ? null : new URL("curie-chat.css" + scriptUrl.search, scriptUrl).href,
      retries: num("retries", 3, 0, 6),
      retryDelayMs: num("retryDelayMs", 1000, 50, 60000),
      timeoutMs: num("timeoutMs", 30000, 1000, 300000)
    };
  }

  function makeStore(kind, key) {
    var memory = null;
    var backend = null;
    try {
      backend = kind === "local" ? window.localStorage : window.sessionStorage;
      backend.setItem(key + ":probe", "1");
      backend.removeItem(key + ":probe");
    } catch (e) {
      backend = null; // storage disabled (privacy mode): keep the conversation in memory
    }
    return {
      load: function () {
        try {
          var raw = backend ? backend.getItem(key) : memory;
          var state = raw ? JSON.parse(raw) : null;
          if (state && typeof state.sender === "string" && Array.isArray(state.entries)) {
            if (!state.votes || typeof state.votes !== "object" || Array.isArray(state.votes)) state.votes = {};
            return state;
          }
        } catch (e) { /* corrupt: start again */ }
        return null;
      },
      save: function (state) {
        var entries = state.entries.slice(-MAX_ENTRIES);
        var votes = {}; // only the votes on answers still in the transcript
        entries.forEach(function (e) {
          if (e.replyTo && state.votes[e.replyTo]) votes[e.replyTo] = state.votes[e.replyTo];
        });
        var raw = JSON.stringify({ v: 1, sender: state.sender, entries: entries, votes: votes });
        try {
          if (backend) backend.setItem(key, raw);
          else memory = raw;
        } catch (e) {
          memory = raw; // quota: the page still works, the transcript won't survive a reload
        }
      }
    };
  }

  function newSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // ---------------------------------------------------------------- Rasa REST channel

  function ChatError(kind, status, message) {
    this.kind = kind; // "network" | "timeout" | "server"
    this.status = status || 0;
    this.message = message || ""; // the assistant's own words (too long, too fast, not saved)
  }

  // Refusals the assistant words itself, in the conversation's language: {"error": "..."}.
  var EXPLAINED_STATUSES = [413, 429, 503];

  /** The refusal's text when the server explains it, else "" (never raw server internals). */
  function explained(res) {
    if (EXPLAINED_STATUSES.indexOf(res.status) < 0) return Promise.resolve("");
    return res.json().then(function (data) {
      return data && typeof data.error === "string" ? data.error : "";
    }, function () {
      return "";
    });
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  /** Keeps only the fields we know how to show, in the types we expect. */
  function cleanMessage(m) {
    if (!m || typeof m !== "object") return null;
    var out = {};
    if (typeof m.text === "string" && m.text.trim()) out.text = m.text;
    // Which of our messages this answers (bot/channels.py): what a "helpful?" vote names.
    var replyTo = typeof m.reply_to === "string" && /^[0-9a-f]{32}$/.test(m.reply_to) ? m.reply_to : null;
    if (typeof m.image === "string" && safeHref(m.image, ["http:", "https:"])) out.image = m.image;
    if (Array.isArray(m.buttons)) {
      out.buttons = m.buttons.filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string" && b.title.trim();
      }).map(function (b) {
        return { title: b.title, payload: b.payload };
      });
      if (!out.buttons.length) delete out.buttons;
    }
    var custom = m.custom;
    if (custom && custom.type === "trial_cards" && Array.isArray(custom.cards)) {
      out.cards = custom.cards.filter(function (c) {
        return c && typeof c === "object";
      }).map(function (c) {
        var card = {};
        ["id", "title", "phase", "status", "where", "url"].forEach(function (k) {
          if (c[k] != null && typeof c[k] !== "object") card[k] = String(c[k]);
        });
        return card;
      });
      if (!out.cards.length) delete out.cards;
    }
    if (!Object.keys(out).length) return null;
    if (replyTo) out.replyTo = replyTo;
    return out;
  }

  function Client(opts, onRetry) {
    var endpoint = opts.rasaUrl + "/webhooks/rest/webhook";

    function attempt(body) {
      var controller = new AbortController();
      var timer = setTimeout(function () {
        controller.abort();
      }, opts.timeoutMs);
      return fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
        credentials: "omit", // Rasa needs no cookie; don't send ours
        referrerPolicy: "no-referrer"
      }).then(function (res) {
        clearTimeout(timer);
        return res;
      }, function (err) {
        clearTimeout(timer);
        throw new ChatError(err && err.name === "AbortError" ? "timeout" : "network");
      });
    }

    /**
     * Sends one message; retries only when the request most likely did not reach the bot
     * (connection refused, CORS refusal) or a proxy says Rasa is unreachable (502). A
     * timeout is not retried: Rasa may still be working on it, and a blind resend would make
     * it see the message twice; the person can resend it.
     */
    this.send = function (sender, message, lang) {
      var body = { sender: sender, message: message, metadata: { lang: lang } };
      var tries = 0;
      function go() {
        return attempt(body).then(function (res) {
          if (res.ok) {
            return res.json().then(function (data) {
              return (Array.isArray(data) ? data : []).map(cleanMessage).filter(Boolean);
            }, function () {
              throw new ChatError("server", res.status);
            });
          }
          var kind = RETRY_STATUSES.indexOf(res.status) >= 0 ? "network"
            : SLOW_STATUSES.indexOf(res.status) >= 0 ? "timeout" : "server";
          return explained(res).then(function (message) {
            throw new ChatError(kind, res.status, message);
          });
        }).catch(function (err) {
          if (!(err instanceof ChatError)) err = new ChatError("server");
          if (err.kind !== "network" || tries >= opts.retries) throw err;
          var delay = opts.retryDelayMs * Math.pow(2, tries); // 1 s, 2 s, 4 s by default
          tries += 1;
          onRetry(delay);
          return sleep(delay).then(go);
        });
      }
      return go();
    };
  }

  /** Posts one vote; resolves when the page server kept it, rejects otherwise. */
  function sendVote(url, sender, replyTo, vote, timeoutMs) {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, timeoutMs);
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, reply_to: replyTo, vote: vote }),
      signal: controller.signal,
      credentials: "omit",
      referrerPolicy: "no-referrer"
    }).then(function (res) {
      clearTimeout(timer);
      if (!res.ok) throw new Error("vote refused: " + res.status);
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  }

  // ---------------------------------------------------------------- the widget

  var instance = 0;

  function Widget(opts) {
    var t = STRINGS[opts.lang];
    var uid = "cc" + ++instance;
    var store = makeStore(opts.storage, "curie-chat:" + opts.rasaUrl);
    var state = store.load() || { sender: newSenderId(), entries: [], votes: {} };
    var busy = false;
    var client = new Client(opts, function (delay) {
      setStatus(t.retrying(Math.round(delay / 100) / 10), true);
    });

    // --- static structure (focus order: header, notice, log, error, input, send)
    var resetButton = el("button", { type: "button", className: "cc-reset" }, [t.reset]);
    var header = el("div", { className: "cc-header" }, [
      el("h2", { className: "cc-title", id: uid + "-title" }, [t.title]),
      resetButton
    ]);
    var notice = el("p", { className: "cc-notice", id: uid + "-notice" }, [
      el("strong", {}, [t.noticeLead]), " ", t.noticeCall,
      el("a", { href: "tel:15", className: "cc-link" }, ["15"]), t.or,
      el("a", { href: "tel:112", className: "cc-link" }, ["112"]), t.noticeEnd, " ",
      el("a", { href: opts.privacyUrl, className: "cc-link cc-privacy" }, [t.privacy])
    ]);
    var log = el("div", {
      className: "cc-log",
      role: "log",
      "aria-live": "polite",
      "aria-label": t.logLabel,
      tabindex: "0" // lets keyboard users scroll a long transcript
    });
    var hint = el("p", { className: "cc-hint" }, [t.hint]);
    var status = el("p", { className: "cc-status", role: "status", "aria-live": "polite" });
    var errorBox = el("div", { className: "cc-error", role: "alert" });
    var input = el("input", {
      type: "text",
      id: uid + "-input",
      className: "cc-input",
      name: "message",
      autocomplete: "off",
      maxlength: "1000",
      enterkeyhint: "send",
      placeholder: t.placeholder,
      "aria-describedby": uid + "-notice"
    });
    var sendButton = el("button", { type: "submit", className: "cc-send" }, [t.send]);
    var form = el("form", { className: "cc-form", novalidate: true }, [
      el("label", { className: "cc-sr", for: uid + "-input" }, [t.inputLabel]),
      input,
      sendButton
    ]);
    var root = el("section", {
      className: "cc",
      lang: opts.lang,
      "aria-labelledby": uid + "-title",
      "data-curie-chat": ""
    }, [header, notice, log, status, errorBox, form]);
    this.root = root;

    // --- rendering

    var bubbles = new WeakMap(); // user entry -> its bubble, to flag "not sent" in place

    function setStatus(text, withDots) {
      status.textContent = "";
      status.classList.toggle("cc-status--typing", !!withDots);
      if (withDots) status.appendChild(el("span", { className: "cc-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]));
      if (text) status.appendChild(document.createTextNode(text));
    }

    function save() {
      store.save(state);
    }

    function lastUserIndex() {
      for (var i = state.entries.length - 1; i >= 0; i--) {
        if (state.entries[i].role === "user") return i;
      }
      return -1;
    }

    function updateUserBubble(entry) {
      var bubble = bubbles.get(entry);
      if (!bubble) return;
      var failed = entry.state === "failed";
      bubble.classList.toggle("cc-msg--failed", failed);
      var flag = bubble.querySelector(".cc-flag");
      if (failed && !flag) bubble.appendChild(el("p", { className: "cc-flag" }, [t.notSent]));
      if (!failed && flag) bubble.removeChild(flag);
    }

    function renderEntry(entry, index) {
      var nodes = [];
      if (entry.role === "user") {
        var bubble = el("div", { className: "cc-msg cc-msg--user" }, [
          srOnly(t.you),
          el("p", { className: "cc-text" }, [entry.text]) // the user's own text: never linkified
        ]);
        bubbles.set(entry, bubble);
        updateUserBubble(entry);
        return [bubble];
      }
      if (entry.text || entry.image) {
        var msg = el("div", { className: "cc-msg cc-msg--bot" }, [srOnly(t.bot)]);
        if (entry.text) {
          var p = el("p", { className: "cc-text" });
          p.appendChild(textWithLinks(entry.text, t));
          msg.appendChild(p);
        }
        if (entry.image && safeHref(entry.image, ["http:", "https:"])) { // re-checked: storage is input too
          msg.appendChild(el("img", { className: "cc-image", src: entry.image, alt: t.image, loading: "lazy", referrerpolicy: "no-referrer" }));
        }
        nodes.push(msg);
      }
      if (entry.cards) nodes.push(renderCards(entry.cards));
      if (isLastOfAnswer(index)) nodes.push(renderFeedback(entry.replyTo));
      // Quick replies only in the latest bot turn: older ones would answer a question the
      // conversation has moved past (and would clutter the tab order).
      if (entry.buttons && index > lastUserIndex()) nodes.push(renderQuickReplies(entry.buttons));
      return nodes;
    }

    function renderCards(cards) {
      var list = el("ul", { className: "cc-cards", "aria-label": t.cards });
      cards.forEach(function (card) {
        var meta = el("dl", { className: "cc-card-meta" });
        [["phase", t.cardPhase], ["status", t.cardStatus], ["where", t.cardWhere], ["id", t.cardId]].forEach(function (pair) {
          if (!card[pair[0]]) return;
          meta.appendChild(el("div", {}, [el("dt", {}, [pair[1]]), el("dd", {}, [card[pair[0]]])]));
        });
        var item = el("li", { className: "cc-card" }, [
          el("p", { className: "cc-card-title" }, [card.title || card.id || ""]),
          meta
        ]);
        var href = card.url && safeHref(card.url, ["http:", "https:"]);
        if (href) {
          var a = linkNode(t.cardLink, href, t);
          // Several cards share the link text: name the trial for screen-reader link lists.
          a.insertBefore(srOnly(" – " + (card.title || card.id || "")), a.lastChild);
          item.appendChild(el("p", { className: "cc-card-link" }, [a]));
        }
        list.appendChild(item);
      });
      return list;
    }

    /** The last bot message answering one of our messages: the vote buttons go after it. */
    function isLastOfAnswer(index) {
      var entry = state.entries[index];
      var next = state.entries[index + 1];
      return !!(opts.feedbackUrl && entry && entry.role === "bot" && entry.replyTo &&
        !(next && next.replyTo === entry.replyTo));
    }

    var feedbackCount = 0;

    function renderFeedback(replyTo) {
      var askId = uid + "-fb" + ++feedbackCount;
      var yes = el("button", { type: "button", className: "cc-vote cc-vote--yes", "aria-label": t.feedbackYesLabel }, [
        thumb(false), t.feedbackYes
      ]);
      var no = el("button", { type: "button", className: "cc-vote cc-vote--no", "aria-label": t.feedbackNoLabel }, [
        thumb(true), t.feedbackNo
      ]);
      var group = el("div", { className: "cc-feedback", role: "group", "aria-labelledby": askId }, [
        el("span", { className: "cc-feedback-ask", id: askId }, [t.feedbackAsk]),
        el("span", { className: "cc-votes" }, [yes, no]) // the two buttons wrap together
      ]);
      var pending = false;
      function show(vote) {
        yes.setAttribute("aria-pressed", String(vote === "helpful"));
        no.setAttribute("aria-pressed", String(vote === "not_helpful"));
      }
      function vote(value) {
        var before = state.votes[replyTo] || null;
        if (pending || before === value) return; // one vote per answer; a new one replaces it
        pending = true;
        group.setAttribute("aria-busy", "true");
        show(value);
        sendVote(opts.feedbackUrl, state.sender, replyTo, value, opts.timeoutMs).then(function () {
          state.votes[replyTo] = value;
          save();
          setStatus(t.feedbackThanks);
        }, function () {
          show(before);
          setStatus(t.feedbackFailed);
        }).then(function () {
          pending = false;
          group.removeAttribute("aria-busy");
        });
      }
      yes.addEventListener("click", function () {
        vote("helpful");
      });
      no.addEventListener("click", function () {
        vote("not_helpful");
      });
      show(state.votes[replyTo] || null);
      return group;
    }

    function renderQuickReplies(buttons) {
      var group = el("div", { className: "cc-quick", role: "group", "aria-label": t.quickReplies });
      buttons.forEach(function (b) {
        var button = el("button", { type: "button", className: "cc-quick-btn" }, [b.title]);
        button.addEventListener("click", function () {
          if (busy) return setStatus(t.busy);
          input.focus(); // the buttons are about to disappear; keep focus somewhere useful
          send(b.payload, b.title);
        });
        group.appendChild(button);
      });
      return group;
    }

    function renderAll() {
      log.textContent = "";
      if (!state.entries.length) log.appendChild(hint);
      state.entries.forEach(function (entry, i) {
        renderEntry(entry, i).forEach(function (node) {
          log.appendChild(node);
        });
      });
      log.scrollTop = log.scrollHeight;
      renderError();
    }

    function lastFailed() {
      var last = state.entries[state.entries.length - 1];
      return last && last.role === "user" && last.state === "failed" ? last : null;
    }

    function renderError(kind, message) {
      errorBox.textContent = "";
      var failed = lastFailed();
      if (!failed) return;
      var text = message || (kind === "timeout" ? t.errorTimeout : kind === "server" ? t.errorServer : t.errorNetwork);
      var resend = el("button", { type: "button", className: "cc-resend" }, [t.resend]);
      resend.addEventListener("click", function () {
        input.focus(); // this button goes away while sending
        send(failed.payload, failed.text, failed);
      });
      errorBox.appendChild(el("p", {}, [text]));
      errorBox.appendChild(resend);
    }

    /** Adds entries at the end of the log (never re-renders it: the live region would re-read it). */
    function append(entries) {
      if (hint.parentNode === log) log.removeChild(hint);
      Array.prototype.forEach.call(log.querySelectorAll(".cc-quick"), function (node) {
        node.parentNode.removeChild(node);
      });
      var start = state.entries.length;
      Array.prototype.push.apply(state.entries, entries);
      var first = null;
      entries.forEach(function (entry, i) {
        renderEntry(entry, start + i).forEach(function (node) {
          log.appendChild(node);
          first = first || node;
        });
      });
      // Bring the start of what was added into view: a long answer is read from its top.
      // (The browser clamps this to the bottom when the new part fits.)
      if (first) log.scrollTop = Math.max(0, first.offsetTop - 8);
      save();
    }

    function send(message, shownAs, retryOf) {
      if (busy) {
        setStatus(t.busy);
        return false;
      }
      message = String(message || "").trim();
      if (!message) return false;
      busy = true;
      form.setAttribute("aria-busy", "true");
      errorBox.textContent = "";
      var entry = retryOf || { role: "user", text: shownAs || message, payload: message, state: "sending" };
      entry.state = "sending";
      if (retryOf) {
        updateUserBubble(entry);
        save();
      } else {
        append([entry]);
      }
      setStatus(t.typing, true);
      client.send(state.sender, message, opts.lang).then(function (replies) {
        entry.state = "sent";
        updateUserBubble(entry);
        var entries = replies.map(function (r) {
          r.role = "bot";
          return r;
        });
        if (entries.length) append(entries);
        else save();
        setStatus(entries.length ? "" : t.noReply);
      }, function (err) {
        entry.state = "failed";
        updateUserBubble(entry);
        save();
        setStatus("");
        renderError(err.kind, err.message);
      }).then(function () {
        busy = false;
        form.removeAttribute("aria-busy");
      });
      return true;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) return input.focus();
      if (send(text)) input.value = ""; // while busy the text stays in the box
    });

    resetButton.addEventListener("click", function () {
      if (busy) return setStatus(t.busy);
      state = { sender: newSenderId(), entries: [], votes: {} };
      save();
      renderAll();
      setStatus(t.resetDone);
      input.focus();
    });

    // A reload during a send leaves no way to know whether Rasa got it: offer to resend.
    state.entries.forEach(function (entry) {
      if (entry.role === "user" && entry.state === "sending") entry.state = "failed";
    });

    // History is rendered before the widget joins the page, so screen readers don't read
    // the whole restored transcript as "new" messages.
    renderAll();

    this.focus = function () {
      input.focus();
    };
    this.sender = function () {
      return state.sender;
    };
    this.send = function (text) {
      return send(text);
    };
    this.t = t; // the floating launcher uses the same strings
  }

  // ---------------------------------------------------------------- mounting

  function loadCss(href) {
    if (!href || document.querySelector("link[data-curie-chat-css]")) return;
    document.head.appendChild(el("link", { rel: "stylesheet", href: href, "data-curie-chat-css": "" }));
  }

  function mountFloating(widget, opts) {
    var t = widget.t;
    var panelId = widget.root.getAttribute("aria-labelledby").replace("-title", "-panel");
    var launcher = el("button", {
      type: "button",
      className: "cc-launcher",
      "aria-expanded": "false",
      "aria-controls": panelId
    }, [t.open]);
    var close = el("button", { type: "button", className: "cc-close", "aria-label": t.close }, ["×"]);
    widget.root.querySelector(".cc-header").appendChild(close);
    widget.root.id = panelId;
    widget.root.classList.add("cc--floating");
    widget.root.hidden = true;
    function setOpen(open) {
      widget.root.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      launcher.hidden = open;
      if (open) widget.focus();
      else launcher.focus();
    }
    launcher.addEventListener("click", function () {
      setOpen(true);
    });
    close.addEventListener("click", function () {
      setOpen(false);
    });
    widget.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape") setOpen(false);
    });
    var wrap = el("div", { className: "cc-floating", lang: opts.lang }, [launcher, widget.root]);
    document.body.appendChild(wrap);
  }

  function start() {
    var opts = readOptions();
    loadCss(opts.css);
    var widget = new Widget(opts);
    var target = opts.target && document.getElementById(opts.target);
    if (target) target.appendChild(widget.root);
    else mountFloating(widget, opts);
    window.CurieChat.widgets.push(widget);
  }

  window.CurieChat = window.CurieChat || { widgets: [] };
  window.CurieChat.tokenize = tokenize; // exposed for tests and for pages that embed us

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
