// The study page: self-check cards one at a time, with a Leitner scheme across visits, and
// calculator practice cases. The cards and cases come from study/cards.json, generated from
// the guideline's content at build time (build_tools/study/). Progress is kept in this
// browser's localStorage only: nothing is sent anywhere, and the page fetches nothing but
// cards.json from its own site. Text is always set with textContent, never as HTML.

const FORMAT = "myositis-guideline-study/1";
const STORE = "myositis-guideline:study:v1";
const DAY = 86_400_000;
// Days until a card in box N comes back; box 1 (not known) returns in this session.
const BOX_DAYS = [0, 0, 1, 3, 7, 14];
const LAST_BOX = BOX_DAYS.length - 1;

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) || "null");
    if (saved && saved.version === 1 && saved.cards) return { saved, ok: true };
  } catch {
    return { saved: { version: 1, cards: {}, deck: null }, ok: false };
  }
  return { saved: { version: 1, cards: {}, deck: null }, ok: true };
}

function save(progress) {
  try {
    localStorage.setItem(STORE, JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

function fill(list, items, make) {
  list.replaceChildren(...items.map(make));
  list.hidden = items.length === 0;
}

function li(text) {
  const item = document.createElement("li");
  item.textContent = text;
  return item;
}

function pairs(list, rows) {
  list.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

// A cloze prompt's gaps ("__") as marked blanks that screen readers read as "blank".
function withBlanks(text) {
  return text.split("__").flatMap((part, index) => {
    if (index === 0) return [part];
    const gap = document.createElement("span");
    gap.className = "study-blank";
    const word = document.createElement("span");
    word.className = "study-sr";
    word.textContent = "blank";
    gap.append(word);
    return [gap, part];
  });
}

// A page of the site by its folder URL ("therapies/ivig/#evidence-x"), from cards.json's
// URL. The offline copy names pages as files ("therapies/ivig.html"): its navigation
// links say which copy this is.
function pageHref(url, cardsUrl) {
  const flat = document.querySelector('.md-nav a[href$=".html"]') !== null;
  const [path, hash] = url.split("#");
  const page = flat && path.endsWith("/") ? `${path.slice(0, -1)}.html` : path;
  return new URL(`../${page}${hash === undefined ? "" : `#${hash}`}`, cardsUrl).href;
}

function isTyping(target) {
  return target instanceof Element && target.closest("input, select, textarea, [contenteditable]");
}

function setUpCards(root, data) {
  const q = (name) => root.querySelector(`[data-${name}]`);
  const status = q("status");
  const deckSelect = q("deck");
  const updatedOnly = q("updated-only");
  const card = q("card");
  const back = q("back");
  const reveal = q("reveal");
  const done = q("done");
  const siteRoot = new URL(root.dataset.cards, document.baseURI);
  const { saved, ok } = load();
  const progress = saved;
  let stored = ok;
  const session = { right: 0, answered: 0, ahead: false, start: Date.now() };
  let current = null;

  const known = new Set(data.decks.map((d) => d.id));
  const preset = root.dataset.domain;
  deckSelect.value = known.has(preset) ? preset : known.has(progress.deck) ? progress.deck : "";

  const inDeck = () =>
    data.cards.filter(
      (c) =>
        (!deckSelect.value || c.domains.includes(deckSelect.value)) &&
        (!updatedOnly || !updatedOnly.checked || c.updated_in),
    );
  const record = (c) => progress.cards[c.id];
  const changedSince = (c) => c.updated_in && (!record(c) || record(c).updated !== c.updated_in);
  const isDue = (c, now) => !record(c) || record(c).due <= now || changedSince(c);

  function next() {
    const now = Date.now();
    const cards = inDeck();
    const due = cards.filter((c) => isDue(c, now));
    const pool = due.length || !session.ahead ? due : cards;
    const others = pool.filter((c) => !current || c.id !== current.id);
    const choice = others.length ? others : pool;
    // Cards due from earlier visits first (longest waiting first), then new ones in
    // content order, then the ones missed during this visit.
    const byDue = (a, b) => record(a).due - record(b).due;
    const waiting = choice.filter((c) => record(c) && record(c).due < session.start).sort(byDue);
    const fresh = choice.filter((c) => !record(c));
    const again = choice.filter((c) => record(c) && record(c).due >= session.start).sort(byDue);
    return { pick: waiting[0] || fresh[0] || again[0] || null, due: due.length, total: cards.length };
  }

  function score() {
    const cards = inDeck();
    const learned = cards.filter((c) => record(c) && record(c).box >= 3).length;
    const now = Date.now();
    const due = cards.filter((c) => isDue(c, now)).length;
    const parts = [
      `This visit: ${session.right} of ${session.answered} known`,
      `learned: ${learned} of ${cards.length}`,
      `due now: ${due}`,
    ];
    q("score").textContent = parts.join(" · ") + (stored ? "" : " (progress cannot be kept in this browser)");
  }

  function show(announce) {
    const { pick, total } = next();
    current = pick;
    back.hidden = true;
    reveal.hidden = false;
    score();
    if (!pick) {
      card.hidden = true;
      done.hidden = false;
      const soon = inDeck()
        .filter((c) => record(c))
        .reduce((min, c) => Math.min(min, record(c).due), Infinity);
      q("done-text").textContent = total
        ? `No card of this deck is due now.${Number.isFinite(soon) ? ` The next one is due on ${new Date(soon).toLocaleDateString()}.` : ""}`
        : "This deck has no cards with this filter.";
      q("more").hidden = !total;
      status.textContent = q("done-text").textContent;
      return;
    }
    done.hidden = true;
    card.hidden = false;
    card.dataset.cardId = pick.id;
    q("topic").textContent = pick.topic;
    const mark = q("updated");
    mark.hidden = !pick.updated_in;
    mark.textContent = pick.updated_in ? `Updated in ${pick.updated_in}` : "";
    q("prompt").replaceChildren(...withBlanks(pick.prompt));
    if (announce) status.textContent = announce;
  }

  function showBack() {
    if (!current || !back.hidden) return;
    q("answer").textContent = current.answer;
    fill(q("detail"), current.detail, li);
    const quote = q("quote");
    quote.replaceChildren(...current.quote.map((s) => Object.assign(document.createElement("p"), { textContent: s })));
    quote.parentElement.hidden = current.quote.length === 0 && !current.source;
    quote.hidden = current.quote.length === 0;
    q("source").textContent = current.source ? `Source: ${current.source}` : "";
    fill(q("refs"), current.refs, (r) => li(r.number ? `[${r.number}] ${r.citation}` : r.citation));
    q("link").href = pageHref(current.url, siteRoot);
    back.hidden = false;
    reveal.hidden = true;
    // Focus for screen readers and keys, without scrolling the question off a phone's screen.
    back.focus({ preventScroll: true });
    root.querySelector(".study-grade").scrollIntoView({ block: "nearest" });
    status.textContent = `Answer: ${current.answer}. Press 1 if you knew it, 2 if you didn't.`;
  }

  function grade(knew) {
    if (!current || back.hidden) return;
    const now = Date.now();
    const before = record(current) || { box: 0, seen: 0, right: 0 };
    const box = knew ? Math.min(LAST_BOX, Math.max(1, before.box) + 1) : 1;
    progress.cards[current.id] = {
      box,
      due: knew ? now + BOX_DAYS[box] * DAY : now,
      seen: before.seen + 1,
      right: before.right + (knew ? 1 : 0),
      updated: current.updated_in || before.updated || null,
    };
    stored = save(progress) && stored;
    session.answered += 1;
    session.right += knew ? 1 : 0;
    show(`${knew ? "Knew it" : "Not yet: it comes back in this session"}. Next card.`);
    card.focus();
  }

  function setDeck() {
    progress.deck = deckSelect.value;
    stored = save(progress) && stored;
    session.ahead = false;
    current = null;
    show(`Deck: ${deckSelect.selectedOptions[0].textContent}.`);
  }

  reveal.addEventListener("click", showBack);
  q("knew").addEventListener("click", () => grade(true));
  q("missed").addEventListener("click", () => grade(false));
  deckSelect.addEventListener("change", setDeck);
  if (updatedOnly) updatedOnly.addEventListener("change", setDeck);
  q("more").addEventListener("click", () => {
    session.ahead = true;
    show("Cards not yet due, for extra practice.");
    card.focus();
  });
  const confirm = q("confirm");
  q("reset").addEventListener("click", () => {
    confirm.hidden = false;
    q("confirm-no").focus();
  });
  q("confirm-no").addEventListener("click", () => {
    confirm.hidden = true;
    q("reset").focus();
  });
  q("confirm-yes").addEventListener("click", () => {
    progress.cards = {};
    try {
      localStorage.removeItem(STORE);
    } catch {
      /* nothing was kept */
    }
    session.right = session.answered = 0;
    confirm.hidden = true;
    current = null;
    show("Your progress on this device is deleted.");
    q("reset").focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    // Only while this page's cards are on screen and the reader is not in a form or in the
    // calculator practice (instant navigation may have replaced the page since).
    if (!root.isConnected || isTyping(event.target) || card.hidden) return;
    if (event.target instanceof Element && event.target.closest("[data-practice]")) return;
    const onControl = event.target instanceof Element && event.target.closest("button, a, summary");
    if ((event.key === " " || event.key === "Enter") && !onControl && back.hidden) {
      event.preventDefault();
      showBack();
    } else if (event.key === "1" && !back.hidden) {
      event.preventDefault();
      grade(true);
    } else if (event.key === "2" && !back.hidden) {
      event.preventDefault();
      grade(false);
    }
  });
  q("controls").hidden = false;
  root.dataset.state = "ready";
  show(`${data.cards.length} cards loaded. Progress is kept in this browser only.`);
}

function setUpPractice(box, data) {
  const q = (name) => box.querySelector(`[data-practice-${name}]`);
  const cases = data.practice;
  if (!cases.length) return;
  const siteRoot = new URL(document.querySelector("[data-study]").dataset.cards, document.baseURI);
  const select = q("calc");
  const titles = new Map(cases.map((c) => [c.calculator, c.title]));
  select.replaceChildren(
    ...[...titles].map(([id, title]) => Object.assign(document.createElement("option"), { value: id, textContent: title })),
  );
  const turn = new Map();
  function show() {
    const mine = cases.filter((c) => c.calculator === select.value);
    const index = turn.get(select.value) || 0;
    const item = mine[index % mine.length];
    q("title").textContent = `${item.title}: case ${(index % mine.length) + 1} of ${mine.length}`;
    q("question").textContent = `Work out by hand: ${item.question}.`;
    pairs(q("given"), item.given.map((g) => [g.label, g.value]));
    pairs(q("result"), item.answer.map((a) => [a.label, a.text]));
    fill(q("steps"), item.steps, li);
    fill(q("notices"), item.notices, li);
    q("link").href = pageHref(item.url, siteRoot);
    q("answer").hidden = true;
    q("reveal").hidden = false;
  }
  select.addEventListener("change", show);
  q("next").addEventListener("click", () => {
    turn.set(select.value, (turn.get(select.value) || 0) + 1);
    show();
  });
  q("reveal").addEventListener("click", () => {
    q("answer").hidden = false;
    q("reveal").hidden = true;
    q("answer").focus({ preventScroll: true });
    q("result").scrollIntoView({ block: "nearest" });
  });
  show();
  box.hidden = false;
}

async function setUp() {
  const root = document.querySelector("[data-study]");
  if (!root || root.dataset.bound) return;
  root.dataset.bound = "true";
  const status = root.querySelector("[data-status]");
  let data;
  try {
    const response = await fetch(new URL(root.dataset.cards, document.baseURI));
    data = await response.json();
    if (data.format !== FORMAT) throw new Error(`unknown format ${data.format}`);
  } catch {
    root.dataset.state = "failed";
    status.textContent = "The cards could not be loaded. Reload the page to try again.";
    return;
  }
  setUpCards(root, data);
  keepOffline(new URL(root.dataset.cards, document.baseURI));
  const practice = document.querySelector("[data-practice]");
  if (practice) setUpPractice(practice, data);
}

// The page keeps working with the network gone, like a calculator page: the site's service
// worker (sw.js at the site root, same origin only) keeps this page, its script, stylesheet
// and cards.json once they have loaded. Without a secure context (file://) nothing is kept.
const SERVICE_WORKER_URL = new URL("../../sw.js", import.meta.url);

async function keepOffline(cardsUrl) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER_URL);
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) return;
    const page = new URL(location.href);
    page.hash = "";
    const urls = new Set([page.href, import.meta.url, cardsUrl.href]);
    for (const entry of performance.getEntriesByType("resource")) urls.add(entry.name);
    const same = [...urls].filter((url) => new URL(url).origin === location.origin);
    registration.active.postMessage({ type: "cache", urls: same });
  } catch (error) {
    console.warn("[study] offline copy not made:", error);
  }
}

// With instant navigation this module runs once; the theme's document$ re-runs setUp when
// the reader comes back to a study page (a module runs after the page is parsed).
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => setUp());
}
setUp();
