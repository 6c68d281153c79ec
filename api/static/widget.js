/*! News search box. Embed it with
 *   <div data-news-search data-endpoint="https://host"></div>
 *   <script src="https://host/widget.js" async></script>
 * Options (data- attributes), keyboard use and the security model: see the README, "Search box (widget)".
 *
 * Plain JavaScript, no dependencies, no build step. Article text is only ever
 * inserted as text (append/textContent, never as HTML), so a hostile article
 * cannot run script in the host page; styles live in a shadow root, so the
 * page's CSS and ours do not meet.
 */
(() => {
  "use strict";
  // The snippet may be pasted once per box: the first copy mounts every box.
  if (window.NewsSearch) return;

  const SELECTOR = "[data-news-search]";
  // Relative to where this script was loaded from: the API serves both.
  const SCRIPT_URL = document.currentScript && document.currentScript.src;
  const DEFAULT_ENDPOINT = new URL(".", SCRIPT_URL || location.href).href;
  const DEFAULT_LANGUAGES = "el,de,hu,ru";
  const SUGGEST_DELAY_MS = 150;
  const SUGGESTIONS = 8;
  const MIN_SUGGEST_CHARS = 2;
  const TIMEOUT_MS = 10000;
  const PER_PAGE = 10;
  const MAX_PER_PAGE = 100;
  const FALLBACK_TITLE_CHARS = 90;
  // Reasons given to AbortController.abort(), to tell a superseded request from a slow one.
  const STALE = "stale";
  const TIMEOUT = "timeout";

  const TEXTS = {
    en: {
      label: "Search news",
      submit: "Search",
      suggestions: "Suggestions",
      languages: "Filter by language",
      results: "Search results",
      count: { one: "{n} result", other: "{n} results" },
      found: "{count} for “{q}”.",
      shown: "Showing {shown} of {total}.",
      partial: "No article has all the words: showing the closest matches.",
      partialAfter: "{n} with all the words, then the closest matches.",
      didYouMean: "Did you mean:",
      empty: "No results for “{q}”.",
      emptyHint: "Check the spelling, or try fewer or other words.",
      searching: "Searching…",
      more: "More results",
      retry: "Try again",
      unreachable: "The search service cannot be reached.",
      timeout: "The search service did not answer in time.",
      failed: "The search failed (error {status}).",
      busy: "Too many searches from your network just now: try again in {seconds} s.",
      invalid: "This cannot be searched:",
      untitled: "Untitled",
    },
    el: {
      label: "Αναζήτηση ειδήσεων",
      submit: "Αναζήτηση",
      suggestions: "Προτάσεις",
      languages: "Φιλτράρισμα κατά γλώσσα",
      results: "Αποτελέσματα αναζήτησης",
      count: { one: "{n} αποτέλεσμα", other: "{n} αποτελέσματα" },
      found: "{count} για «{q}».",
      shown: "Εμφανίζονται {shown} από {total}.",
      partial: "Κανένα άρθρο δεν περιέχει όλες τις λέξεις· εμφανίζονται τα πιο κοντινά.",
      partialAfter: "{n} με όλες τις λέξεις, έπειτα τα πιο κοντινά.",
      didYouMean: "Μήπως εννοούσατε:",
      empty: "Κανένα αποτέλεσμα για «{q}».",
      emptyHint: "Ελέγξτε την ορθογραφία ή δοκιμάστε λιγότερες ή άλλες λέξεις.",
      searching: "Αναζήτηση…",
      more: "Περισσότερα αποτελέσματα",
      retry: "Δοκιμάστε ξανά",
      unreachable: "Η υπηρεσία αναζήτησης δεν είναι προσβάσιμη.",
      timeout: "Η υπηρεσία αναζήτησης δεν απάντησε εγκαίρως.",
      failed: "Η αναζήτηση απέτυχε (σφάλμα {status}).",
      busy: "Πάρα πολλές αναζητήσεις από το δίκτυό σας αυτή τη στιγμή: δοκιμάστε ξανά σε {seconds} δευτ.",
      invalid: "Αυτό δεν μπορεί να αναζητηθεί:",
      untitled: "Χωρίς τίτλο",
    },
    de: {
      label: "Nachrichten durchsuchen",
      submit: "Suchen",
      suggestions: "Vorschläge",
      languages: "Nach Sprache filtern",
      results: "Suchergebnisse",
      count: { one: "{n} Ergebnis", other: "{n} Ergebnisse" },
      found: "{count} für „{q}“.",
      shown: "{shown} von {total} angezeigt.",
      partial: "Kein Artikel enthält alle Wörter: die ähnlichsten Treffer werden gezeigt.",
      partialAfter: "{n} mit allen Wörtern, danach die ähnlichsten Treffer.",
      didYouMean: "Meinten Sie:",
      empty: "Keine Ergebnisse für „{q}“.",
      emptyHint: "Prüfen Sie die Schreibweise oder versuchen Sie weniger oder andere Wörter.",
      searching: "Suche läuft…",
      more: "Weitere Ergebnisse",
      retry: "Erneut versuchen",
      unreachable: "Der Suchdienst ist nicht erreichbar.",
      timeout: "Der Suchdienst hat nicht rechtzeitig geantwortet.",
      failed: "Die Suche ist fehlgeschlagen (Fehler {status}).",
      busy: "Gerade zu viele Suchen aus Ihrem Netz: bitte in {seconds} s erneut versuchen.",
      invalid: "Danach kann nicht gesucht werden:",
      untitled: "Ohne Titel",
    },
    hu: {
      label: "Keresés a hírekben",
      submit: "Keresés",
      suggestions: "Javaslatok",
      languages: "Szűrés nyelv szerint",
      results: "Találatok",
      count: { other: "{n} találat" },
      found: "{count} erre: „{q}”.",
      shown: "{total} találatból {shown} látható.",
      partial: "Egyik cikkben sincs meg minden szó: a legközelebbi találatok láthatók.",
      partialAfter: "{n} cikkben minden szó megvan, utána a legközelebbi találatok.",
      didYouMean: "Erre gondolt:",
      empty: "Nincs találat erre: „{q}”.",
      emptyHint: "Ellenőrizze a helyesírást, vagy próbáljon kevesebb vagy más szót.",
      searching: "Keresés…",
      more: "További találatok",
      retry: "Újra",
      unreachable: "A keresőszolgáltatás nem érhető el.",
      timeout: "A keresőszolgáltatás nem válaszolt időben.",
      failed: "A keresés nem sikerült ({status}-es hiba).",
      busy: "Túl sok keresés érkezett a hálózatáról: próbálja újra {seconds} mp múlva.",
      invalid: "Erre nem lehet keresni:",
      untitled: "Cím nélkül",
    },
    ru: {
      label: "Поиск по новостям",
      submit: "Найти",
      suggestions: "Подсказки",
      languages: "Фильтр по языку",
      results: "Результаты поиска",
      count: { one: "{n} результат", few: "{n} результата", many: "{n} результатов", other: "{n} результата" },
      found: "{count} по запросу «{q}».",
      shown: "Показано {shown} из {total}.",
      partial: "Ни одна статья не содержит всех слов: показаны ближайшие совпадения.",
      partialAfter: "Со всеми словами: {n}, далее ближайшие совпадения.",
      didYouMean: "Возможно, вы имели в виду:",
      empty: "По запросу «{q}» ничего не найдено.",
      emptyHint: "Проверьте написание или попробуйте меньше слов или другие слова.",
      searching: "Поиск…",
      more: "Ещё результаты",
      retry: "Повторить",
      unreachable: "Сервис поиска недоступен.",
      timeout: "Сервис поиска не ответил вовремя.",
      failed: "Поиск не удался (ошибка {status}).",
      busy: "Слишком много запросов из вашей сети: повторите через {seconds} с.",
      invalid: "Такой запрос выполнить нельзя:",
      untitled: "Без заголовка",
    },
  };

  // Sizes in px and em, never rem: the host page may set any root font size.
  // Custom properties cross the shadow boundary, so a site can theme the box.
  const CSS = `
:host { all: initial; display: block; }
.box { font: 16px/1.5 var(--news-search-font, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif);
  color: #1f2328; background: #fff; text-align: start; --accent: var(--news-search-accent, #0b57d0); }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
form { display: flex; gap: 8px; margin: 0; }
.field { position: relative; flex: 1; min-width: 0; }
input { display: block; width: 100%; margin: 0; padding: 9px 12px; font: inherit; color: inherit; background: #fff;
  border: 1px solid #6e7781; border-radius: 6px; }
button { font: inherit; font-size: 15px; margin: 0; padding: 8px 16px; cursor: pointer; border-radius: 6px;
  border: 1px solid var(--accent); background: var(--accent); color: #fff; }
.secondary { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
[role=listbox] { position: absolute; z-index: 10; top: calc(100% + 4px); left: 0; right: 0; margin: 0; padding: 4px 0;
  list-style: none; background: #fff; border: 1px solid #6e7781; border-radius: 6px;
  box-shadow: 0 6px 20px rgba(0, 0, 0, .15); max-height: 20em; overflow-y: auto; }
[role=option] { padding: 6px 12px; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
[role=option].title { font-size: 14px; color: #57606a; }
[role=option]:hover { background: #f3f6fb; }
[role=option][aria-selected=true] { background: #e8f0fe; color: #1f2328; outline: 2px solid var(--accent); outline-offset: -2px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0 0; }
.chip { font-size: 14px; padding: 3px 12px; border-radius: 999px; border-color: #6e7781; background: #fff; color: #1f2328; }
.chip[aria-pressed=true] { background: var(--accent); border-color: var(--accent); color: #fff; }
.count { margin-inline-start: 6px; font-variant-numeric: tabular-nums; }
.status, .notice { margin: 12px 0 0; font-size: 14px; color: #57606a; }
.status.error { color: #b3261e; font-weight: 600; }
.link { padding: 0; margin-inline-start: 4px; border: 0; background: none; color: var(--accent); font-size: 14px;
  font-weight: 600; text-decoration: underline; }
.retry { margin-top: 8px; }
ol { list-style: none; margin: 8px 0 0; padding: 0; }
li.result { padding: 12px 0; border-top: 1px solid #d0d7de; }
.heading { display: block; font-size: 18px; font-weight: 600; line-height: 1.3; color: #1f2328; }
a.heading { color: var(--accent); text-decoration: none; }
a.heading:hover { text-decoration: underline; }
.meta { margin: 2px 0 4px; font-size: 13px; color: #57606a; }
.passage { margin: 4px 0 0; font-size: 15px; }
mark { background: #ffe58f; color: inherit; font-weight: 600; border-radius: 2px; padding: 0 1px; }
.more { margin-top: 8px; }
.busy ol { opacity: .55; }
`;

  let sheet; // one constructed stylesheet, shared by every box

  /** Styles for a shadow root: a constructed stylesheet where supported (CSP
   * style-src does not apply to it, unlike a <style> element), else <style>. */
  function addStyles(root) {
    if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(element("style", {}, CSS));
    }
  }

  /** An element with attributes and children (strings become text nodes). */
  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  function translator(uiLang) {
    const texts = TEXTS[uiLang];
    const plural = new Intl.PluralRules(uiLang);
    const number = new Intl.NumberFormat(uiLang);
    return (key, values = {}) => {
      let text = texts[key];
      if (typeof text === "object") text = text[plural.select(values.n)] || text.other;
      return text.replace(/\{(\w+)\}/g, (_, name) =>
        typeof values[name] === "number" ? number.format(values[name]) : values[name]);
    };
  }

  /** The box's options from its data- attributes (README: "Search box (widget)"). */
  function readOptions(host) {
    const { endpoint, languages, perPage, placeholder, uiLang } = host.dataset;
    const count = parseInt(perPage, 10);
    return {
      endpoint: new URL(endpoint || DEFAULT_ENDPOINT, document.baseURI).href.replace(/\/+$/, ""),
      languages: (languages ?? DEFAULT_LANGUAGES).toLowerCase().split(/[\s,]+/).filter(Boolean),
      perPage: count > 0 ? Math.min(count, MAX_PER_PAGE) : PER_PAGE,
      placeholder,
      uiLang: uiLanguage(uiLang || (host.closest("[lang]") || {}).lang),
    };
  }

  /** en, el, de, hu or ru: the first that the given language tag starts with, else en. */
  function uiLanguage(tag) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    return base in TEXTS ? base : "en";
  }

  /** A result link's address, only for http(s): an article's url may be javascript:. */
  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  /** The API's [start, end) offsets count code points (Python's str); JavaScript
   * strings count UTF-16 units, which differ after an emoji or other astral character. */
  function unitSpans(text, matches) {
    const unitAt = [];
    let unit = 0;
    for (const character of text) {
      unitAt.push(unit);
      unit += character.length;
    }
    unitAt.push(unit);
    return (matches || []).map(([start, end]) => [unitAt[start], unitAt[end]]);
  }

  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'" };

  /** The marked stretches of a title as offsets into the plain title. The API
   * gives no offsets for titles, only title_html: the escaped title with <mark>
   * as its only markup. It is read as a string, never parsed as HTML, and used
   * only when its text is exactly the title. */
  function titleSpans(title, titleHtml) {
    const tags = (titleHtml || "").match(/<\/?mark>/g) || [];
    if (!tags.every((tag, i) => tag === (i % 2 ? "</mark>" : "<mark>"))) return [];
    const spans = [];
    let text = "";
    (titleHtml || "").split(/<\/?mark>/).forEach((part, i) => {
      const plain = part.replace(/&(amp|lt|gt|quot|#x27);/g, (entity) => ENTITIES[entity]);
      if (i % 2) spans.push([text.length, text.length + plain.length]);
      text += plain;
    });
    return text === title ? spans : [];
  }

  /** Append ``text`` to ``parent`` as text nodes, with <mark> around each
   * [start, end) span (UTF-16 offsets); spans out of order or range are ignored. */
  function appendMarked(parent, text, spans) {
    let position = 0;
    for (const [start, end] of spans) {
      if (!(start >= position && end > start && end <= text.length)) continue;
      parent.append(text.slice(position, start), element("mark", {}, text.slice(start, end)));
      position = end;
    }
    parent.append(text.slice(position));
    return parent;
  }

  /** "2024-11-29T15:42" as the UI language writes dates. The API's times carry
   * no zone, so they are formatted as given (as UTC both ways). */
  function formatDate(iso, uiLang) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
    if (!parts) return iso;
    const [, year, month, day, hour, minute] = parts.map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour || 0, minute || 0));
    const style = { dateStyle: "medium", timeZone: "UTC" };
    if (parts[4]) style.timeStyle = "short";
    return new Intl.DateTimeFormat(uiLang, style).format(date);
  }

  /** A language's name in the UI language: "Deutsch", "German", "Немецкий". */
  function languageNamer(uiLang) {
    const names = Intl.DisplayNames ? new Intl.DisplayNames([uiLang], { type: "language" }) : null;
    return (code) => {
      let name = code;
      try {
        name = (names && names.of(code)) || code;
      } catch {
        // not a language code Intl knows: show the code
      }
      return name.charAt(0).toLocaleUpperCase(uiLang) + name.slice(1);
    };
  }

  /** The opening words of a result's first passage, for an article without a headline. */
  function fallbackTitle(result, t) {
    const text = result.snippets.length ? result.snippets[0].text.replace(/^…/, "") : "";
    if (!text) return t("untitled");
    if (text.length <= FALLBACK_TITLE_CHARS) return text;
    const cut = text.lastIndexOf(" ", FALLBACK_TITLE_CHARS);
    return text.slice(0, cut > 0 ? cut : FALLBACK_TITLE_CHARS) + "…";
  }

  class Failure {
    /** kind: unreachable, timeout, busy (429: seconds to wait), failed (any other status) or invalid
     * (400 with the API's message). */
    constructor(kind, status, message, seconds) {
      Object.assign(this, { kind, status, message, seconds });
    }
  }

  let boxCount = 0;

  class SearchBox {
    constructor(host) {
      this.options = readOptions(host);
      const uiLang = this.options.uiLang;
      this.t = translator(uiLang);
      this.languageName = languageNamer(uiLang);
      this.formatDate = (iso) => formatDate(iso, uiLang);
      this.id = `news-search-${++boxCount}`;
      this.controllers = {}; // per kind of request ("search", "suggest"): the one in flight
      this.optionNodes = [];
      this.active = -1; // index of the active suggestion
      this.last = null; // the last search started: { search, mode }, for retry
      this.shown = 0;
      const root = host.attachShadow({ mode: "open" });
      addStyles(root);
      root.append(this.build());
    }

    build() {
      const { t, id } = this;
      this.input = element("input", {
        id: `${id}-input`, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
        "aria-controls": `${id}-listbox`, autocomplete: "off", autocapitalize: "off", spellcheck: "false",
        enterkeyhint: "search", placeholder: this.options.placeholder || t("label") + "…",
      });
      this.listbox = element("ul", { id: `${id}-listbox`, role: "listbox", "aria-label": t("suggestions"), hidden: "" });
      this.form = element("form", { role: "search" },
        element("label", { for: `${id}-input`, class: "sr-only" }, t("label")),
        element("div", { class: "field" }, this.input, this.listbox),
        element("button", { type: "submit" }, t("submit")));
      this.chips = element("div", { class: "chips", role: "group", "aria-label": t("languages"), hidden: "" });
      this.status = element("p", { class: "status", role: "status", "aria-live": "polite" });
      this.retryButton = element("button", { type: "button", class: "retry secondary", hidden: "" }, t("retry"));
      this.notice = element("p", { class: "notice", hidden: "" });
      this.list = element("ol", { "aria-label": t("results") });
      this.moreButton = element("button", { type: "button", class: "more secondary", hidden: "" }, t("more"));
      this.box = element("div", { class: "box", lang: this.options.uiLang },
        this.form, this.chips, this.status, this.retryButton, this.notice, this.list, this.moreButton);
      this.listen();
      return this.box;
    }

    listen() {
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        const query = this.input.value.trim();
        if (query) this.submit(query);
      });
      this.input.addEventListener("input", () => this.scheduleSuggestions());
      this.input.addEventListener("keydown", (event) => this.onKeyDown(event));
      this.input.addEventListener("blur", () => this.setExpanded(false));
      // Keep the focus in the input while an option is clicked.
      this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
      this.listbox.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option) this.pick(option);
      });
      this.retryButton.addEventListener("click", () => {
        this.input.focus(); // the button hides itself
        this.runSearch(this.last.search, this.last.mode);
      });
      this.moreButton.addEventListener("click", () => {
        // A second click while the next page loads would skip a page.
        if (this.box.classList.contains("busy")) return;
        this.runSearch({ ...this.last.search, page: this.last.search.page + 1 }, "more");
      });
    }

    // -- suggestions (the WAI-ARIA 1.2 combobox pattern) ---------------------

    onKeyDown(event) {
      if (event.isComposing) return;
      const open = !this.listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!this.optionNodes.length) return;
        event.preventDefault();
        this.moveActive(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && open && this.active >= 0) {
        event.preventDefault(); // otherwise Enter submits the form with what was typed
        this.pick(this.optionNodes[this.active]);
      } else if (event.key === "Escape" && (open || this.input.value)) {
        event.preventDefault();
        if (open) {
          this.setExpanded(false);
        } else {
          this.input.value = "";
          this.clearSuggestions();
        }
      }
    }

    scheduleSuggestions() {
      clearTimeout(this.suggestTimer);
      const text = this.input.value.trim();
      if (text.length < MIN_SUGGEST_CHARS) {
        this.clearSuggestions();
        return;
      }
      this.suggestTimer = setTimeout(() => this.fetchSuggestions(text), SUGGEST_DELAY_MS);
    }

    async fetchSuggestions(text) {
      let data;
      try {
        data = await this.fetchJson("suggest", "suggest", { q: text, limit: SUGGESTIONS });
      } catch {
        data = { suggestions: [] }; // suggestions are a help: a failure just shows none
      }
      if (data && this.input.value.trim() === text && this.input.matches(":focus")) this.showSuggestions(data.suggestions);
    }

    showSuggestions(suggestions) {
      this.optionNodes = suggestions.map((suggestion, i) =>
        element("li", { id: `${this.id}-option-${i}`, role: "option", "aria-selected": "false", class: suggestion.kind },
          suggestion.text));
      this.listbox.replaceChildren(...this.optionNodes);
      this.setExpanded(this.optionNodes.length > 0);
    }

    clearSuggestions() {
      clearTimeout(this.suggestTimer);
      this.abort("suggest");
      this.showSuggestions([]);
    }

    setExpanded(open) {
      this.listbox.hidden = !open;
      this.input.setAttribute("aria-expanded", String(open));
      this.setActive(-1);
    }

    moveActive(step) {
      if (this.listbox.hidden) this.setExpanded(true);
      const count = this.optionNodes.length;
      // From none, down goes to the first and up to the last.
      const from = this.active < 0 ? (step > 0 ? -1 : count) : this.active;
      this.setActive((from + step + count) % count);
    }

    setActive(index) {
      if (this.optionNodes[this.active]) this.optionNodes[this.active].setAttribute("aria-selected", "false");
      this.active = index;
      const option = this.optionNodes[index];
      if (option) {
        option.setAttribute("aria-selected", "true");
        this.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        this.input.removeAttribute("aria-activedescendant");
      }
    }

    pick(option) {
      this.input.value = option.textContent;
      this.submit(option.textContent);
    }

    // -- searching -----------------------------------------------------------

    /** A new query: its language chips are drawn from this first, unfiltered answer. */
    submit(query) {
      this.runSearch({ query, langs: [], page: 1 }, "new");
    }

    /** mode: "new" (a new query), "filter" (same query, other languages) or "more" (the next page). */
    async runSearch(search, mode) {
      this.last = { search, mode };
      this.clearSuggestions();
      this.setBusy(true);
      this.retryButton.hidden = true;
      this.setStatus(this.t("searching"));
      const params = { q: search.query, page: search.page, per_page: this.options.perPage };
      if (search.langs.length) params.lang = search.langs.join(",");
      let data;
      try {
        data = await this.fetchJson("search", "search", params);
      } catch (failure) {
        this.setBusy(false);
        this.showFailure(failure, mode);
        return;
      }
      if (!data) return; // superseded by a newer search
      this.setBusy(false);
      if (mode === "new") this.renderChips(data.facets.lang);
      this.renderResults(data, mode);
    }

    toggleLanguage(chip) {
      const langs = new Set(this.last.search.langs);
      const code = chip.dataset.lang;
      if (!langs.delete(code)) langs.add(code);
      chip.setAttribute("aria-pressed", String(langs.has(code)));
      this.runSearch({ query: this.last.search.query, langs: [...langs], page: 1 }, "filter");
    }

    /** GET endpoint/api/path as JSON; null when a newer request of the same kind replaced it. */
    async fetchJson(kind, path, params) {
      this.abort(kind);
      const controller = (this.controllers[kind] = new AbortController());
      const timer = setTimeout(() => controller.abort(TIMEOUT), TIMEOUT_MS);
      const url = `${this.options.endpoint}/api/${path}?${new URLSearchParams(params)}`;
      try {
        const response = await fetch(url, {
          signal: controller.signal, credentials: "omit", headers: { Accept: "application/json" },
        });
        const body = await response.json().catch(() => null);
        if (response.ok && body) return body;
        const message = body && body.error && body.error.message;
        if (response.status === 429) {
          const seconds = parseInt(response.headers.get("Retry-After"), 10);
          throw new Failure("busy", 429, message, seconds > 0 ? seconds : 1);
        }
        throw new Failure(response.status === 400 && message ? "invalid" : "failed", response.status, message);
      } catch (error) {
        if (controller.signal.reason === STALE) return null;
        if (controller.signal.reason === TIMEOUT) throw new Failure("timeout");
        throw error instanceof Failure ? error : new Failure("unreachable");
      } finally {
        clearTimeout(timer);
      }
    }

    abort(kind) {
      if (this.controllers[kind]) this.controllers[kind].abort(STALE);
    }

    setBusy(busy) {
      this.box.classList.toggle("busy", busy);
      this.list.setAttribute("aria-busy", String(busy));
    }

    setStatus(text, isError = false) {
      this.status.textContent = text;
      this.status.classList.toggle("error", isError);
    }

    showFailure(failure, mode) {
      const { t } = this;
      const text = failure.kind === "invalid"
        ? `${t("invalid")} ${failure.message}`
        : t(failure.kind, { status: failure.status, seconds: failure.seconds });
      this.setStatus(text, true);
      // Retrying a query the API refused would only be refused again.
      this.retryButton.hidden = failure.kind === "invalid";
      clearTimeout(this.retryTimer);
      // Retrying before the rate limit's Retry-After would only be refused again.
      this.retryButton.disabled = failure.kind === "busy";
      if (failure.kind === "busy") {
        this.retryTimer = setTimeout(() => { this.retryButton.disabled = false; }, failure.seconds * 1000);
      }
      if (mode === "new") this.chips.hidden = true; // they counted the previous query
      if (mode !== "more") {
        this.list.replaceChildren();
        this.notice.hidden = true;
        this.moreButton.hidden = true;
      }
    }

    // -- rendering -----------------------------------------------------------

    renderChips(langFacet) {
      const counts = new Map(langFacet.map((facet) => [facet.value, facet.count]));
      const chips = this.options.languages.filter((code) => counts.get(code)).map((code) => {
        const name = this.languageName(code);
        const count = counts.get(code);
        // Read as "German, 1 result" rather than "German1".
        const label = `${name}, ${this.t("count", { n: count })}`;
        const chip = element("button", { type: "button", class: "chip", "aria-pressed": "false", "aria-label": label,
          "data-lang": code }, name, element("span", { class: "count" }, String(count)));
        chip.addEventListener("click", () => this.toggleLanguage(chip));
        return chip;
      });
      this.chips.replaceChildren(...chips);
      this.chips.hidden = !chips.length;
    }

    renderResults(data, mode) {
      const { t } = this;
      const query = this.last.search.query;
      const items = data.results.map((result) => this.resultItem(result));
      if (mode === "more") {
        this.list.append(...items);
        this.shown += items.length;
      } else {
        this.list.replaceChildren(...items);
        this.shown = items.length;
      }
      this.moreButton.hidden = !items.length || this.shown >= data.total;
      this.renderNotice(data.did_you_mean, data.total);
      if (!data.total) {
        this.setStatus(t("empty", { q: query }));
      } else if (mode === "more") {
        this.setStatus(t("shown", { shown: this.shown, total: data.total }));
        // Keyboard users go on reading where the new results start.
        if (items.length) items[0].querySelector(".heading").focus();
      } else {
        const found = t("found", { count: t("count", { n: data.total }), q: query });
        if (!data.partial) this.setStatus(found);
        else if (data.total_all_words) this.setStatus(`${found} ${t("partialAfter", { n: data.total_all_words })}`);
        else this.setStatus(`${found} ${t("partial")}`);
      }
    }

    renderNotice(didYouMean, total) {
      const { t } = this;
      if (didYouMean) {
        const link = element("button", { type: "button", class: "link" }, didYouMean);
        link.addEventListener("click", () => {
          this.input.value = didYouMean;
          this.input.focus(); // the button is replaced by the new results
          this.submit(didYouMean);
        });
        this.notice.replaceChildren(t("didYouMean"), link);
      } else {
        this.notice.replaceChildren(total ? "" : t("emptyHint"));
      }
      this.notice.hidden = !this.notice.textContent;
    }

    resultItem(result) {
      const href = safeHref(result.url);
      // Not focusable without a link, but focusable by script (after "more results").
      const heading = element(href ? "a" : "span", href ? { class: "heading", href } : { class: "heading", tabindex: "-1" });
      if (result.title) appendMarked(heading, result.title, titleSpans(result.title, result.title_html));
      else heading.append(fallbackTitle(result, this.t));
      const meta = [this.languageName(result.lang)];
      if (result.date) meta.push(element("time", { datetime: result.date }, this.formatDate(result.date)));
      if (result.source) meta.push(result.source);
      const metaLine = element("p", { class: "meta" }, ...meta.flatMap((part, i) => (i ? [" · ", part] : [part])));
      const passages = result.snippets.map((snippet) =>
        appendMarked(element("p", { class: "passage" }), snippet.text, unitSpans(snippet.text, snippet.matches)));
      // The article's own language, for screen readers' pronunciation and hyphenation.
      const textLang = result.lang && result.lang !== "und" ? { lang: result.lang } : {};
      return element("li", { class: "result" },
        element("div", textLang, heading), metaLine, element("div", textLang, ...passages));
    }
  }

  // -- mounting --------------------------------------------------------------

  const mounted = new WeakSet();

  /** Turn ``host`` (any element that can have a shadow root, such as a div) into a search box, once. */
  function mount(host) {
    if (!(host instanceof Element) || mounted.has(host)) return;
    mounted.add(host);
    new SearchBox(host);
  }

  /** Mount ``node`` and the boxes inside it; one bad box does not stop the others. */
  function scan(node) {
    const hosts = [...(node.matches && node.matches(SELECTOR) ? [node] : []), ...node.querySelectorAll(SELECTOR)];
    for (const host of hosts) {
      try {
        mount(host);
      } catch (error) {
        console.error("news search box:", error);
      }
    }
  }

  window.NewsSearch = Object.freeze({ mount });
  // Boxes parsed after this (async) script ran, or added later by the page.
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) scan(node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan(document);
})();
