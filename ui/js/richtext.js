// The mail editor's formatted view: Markdown (what is stored and sent) shown as headings, bold,
// italics, links and lists in a contenteditable, and turned back into Markdown on every change.
// Only that subset survives: pasted HTML is read in an inert document and rebuilt from it, so
// nothing pasted is ever inserted as markup. Merge fields ({nazwa}) stay plain text.

import { h } from './dom.js';

// ----- Markdown -> DOM --------------------------------------------------------------------

/** Inline Markdown (**bold**, *italic*, [text](url), \escapes) as DOM nodes. */
function inlineNodes(text) {
  const out = [];
  let plain = '';
  const flush = () => { if (plain) { out.push(document.createTextNode(plain)); plain = ''; } };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && /[\\*_[\]()#`<>-]/.test(text[i + 1])) { plain += text[i + 1]; i += 2; continue; }
    if (text.startsWith('**', i)) {
      const end = text.indexOf('**', i + 2);
      if (end > i + 2) { flush(); out.push(h('strong', {}, inlineNodes(text.slice(i + 2, end)))); i = end + 2; continue; }
    }
    if ((c === '*' || c === '_') && text[i + 1] !== c) {
      const end = text.indexOf(c, i + 1);
      if (end > i + 1) { flush(); out.push(h('em', {}, inlineNodes(text.slice(i + 1, end)))); i = end + 1; continue; }
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(text.slice(i));
      if (m) { flush(); out.push(h('a', { dataset: { href: m[2] }, title: m[2], class: 'link' }, inlineNodes(m[1]))); i += m[0].length; continue; }
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

/** The blocks of a Markdown body: headings, paragraphs, bullet and numbered lists. */
export function markdownToNodes(md) {
  const out = [];
  let para = [];
  let list = null;
  const endPara = () => { if (para.length) { out.push(h('p', {}, inlineNodes(para.join(' ')))); para = []; } };
  for (const raw of String(md || '').replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*+]|(\d+)[.)])(?:\s+(.*))?$/.exec(line);
    if (!line.trim()) { endPara(); list = null; continue; }
    if (heading) {
      endPara(); list = null;
      out.push(h(heading[1].length <= 2 ? 'h2' : 'h3', {}, inlineNodes(heading[2])));
    } else if (item) {
      endPara();
      const tag = item[1] ? 'ol' : 'ul';
      if (!list || list.tagName.toLowerCase() !== tag) { list = h(tag, {}); out.push(list); }
      // An empty item (a template's placeholder bullet) stays, ready to be typed into.
      list.append(h('li', {}, item[2] ? inlineNodes(item[2]) : h('br')));
    } else {
      list = null;
      para.push(line.trim());
    }
  }
  endPara();
  return out;
}

// ----- DOM -> Markdown --------------------------------------------------------------------

const escapeText = (s) => s.replace(/[\\*_[\]`]/g, (c) => `\\${c}`);

/** A link's target: only web and mail addresses are kept (no javascript:, no file:). */
function safeHref(href) {
  const v = String(href || '').trim();
  return /^(https?:\/\/|mailto:)[^\s()]+$/i.test(v) ? v : '';
}

/** The inline Markdown of a node's children; anything outside the subset keeps only its text. */
function inlineMarkdown(node) {
  let out = '';
  for (const n of node.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) { out += escapeText(n.nodeValue.replace(/\s+/g, ' ')); continue; }
    if (n.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = n.tagName.toLowerCase();
    if (['script', 'style', 'template', 'head', 'title', 'meta', 'noscript', 'iframe', 'object'].includes(tag)) continue;
    const inner = inlineMarkdown(n);
    const weight = n.style?.fontWeight;
    if (tag === 'br') out += ' ';
    else if (!inner.trim()) out += inner;
    else if (tag === 'strong' || tag === 'b' || weight === 'bold' || Number(weight) >= 600) out += wrapMark(inner, '**');
    else if (tag === 'em' || tag === 'i' || n.style?.fontStyle === 'italic') out += wrapMark(inner, '*');
    else if (tag === 'a') {
      const href = safeHref(n.dataset?.href || n.getAttribute('href'));
      out += href ? `[${inner.trim()}](${href})` : inner;
    } else out += inner;
  }
  return out;
}

/** Emphasis marks hug the text (Markdown ignores "** x **"); spaces go outside. */
function wrapMark(inner, mark) {
  const lead = inner.match(/^\s*/)[0];
  const trail = inner.match(/\s*$/)[0];
  return `${lead}${mark}${inner.trim()}${mark}${trail}`;
}

const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'table', 'tr', 'section', 'article', 'header', 'footer', 'body']);

/** Markdown of a container's content: one block per paragraph, heading or list item. */
export function nodesToMarkdown(root) {
  const blocks = [];
  let inline = null; // loose text between blocks becomes a paragraph
  const endInline = () => {
    if (inline) { const text = inlineMarkdown(inline).trim(); if (text) blocks.push(text); inline = null; }
  };
  const walk = (container) => {
    for (const n of container.childNodes) {
      const tag = n.nodeType === Node.ELEMENT_NODE ? n.tagName.toLowerCase() : null;
      if (tag && ['script', 'style', 'template', 'head', 'title', 'meta', 'noscript'].includes(tag)) continue;
      if (!tag || !BLOCKS.has(tag)) {
        if (tag === 'br') { endInline(); continue; }
        inline ||= document.createElement('span');
        inline.append(n.cloneNode(true));
        continue;
      }
      endInline();
      if (/^h[1-6]$/.test(tag)) {
        const text = inlineMarkdown(n).trim();
        if (text) blocks.push(`${Number(tag[1]) <= 2 ? '##' : '###'} ${text}`);
      } else if (tag === 'ul' || tag === 'ol') {
        const items = [...n.children].filter((c) => c.tagName.toLowerCase() === 'li')
          .map((li, i) => `${tag === 'ol' ? `${i + 1}.` : '-'} ${inlineMarkdown(li).trim()}`);
        if (items.length) blocks.push(items.join('\n'));
      } else if (tag === 'li') {
        const text = inlineMarkdown(n).trim();
        if (text) blocks.push(`- ${text}`);
      } else if ([...n.childNodes].some((c) => c.nodeType === Node.ELEMENT_NODE && BLOCKS.has(c.tagName.toLowerCase()))) {
        walk(n);
      } else {
        // A paragraph with line breaks (Shift+Enter) becomes one paragraph per line.
        let part = document.createElement('span');
        const flushPart = () => { const text = inlineMarkdown(part).trim(); if (text) blocks.push(text); part = document.createElement('span'); };
        for (const c of n.childNodes) {
          if (c.nodeType === Node.ELEMENT_NODE && c.tagName.toLowerCase() === 'br') flushPart();
          else part.append(c.cloneNode(true));
        }
        flushPart();
      }
    }
    endInline();
  };
  walk(root);
  return blocks.join('\n\n') + (blocks.length ? '\n' : '');
}

/** Pasted HTML as Markdown: parsed in an inert document (no scripts run, nothing loads). */
export function htmlToMarkdown(html) {
  const doc = new DOMParser().parseFromString(String(html), 'text/html');
  return nodesToMarkdown(doc.body);
}

/** Pasted plain text as Markdown: every line its own paragraph, marks kept as typed. */
export function textToMarkdown(text) {
  return String(text).replace(/\r\n?/g, '\n').split('\n').map((l) => escapeText(l.trim())).filter(Boolean).join('\n\n');
}

// ----- the editor ---------------------------------------------------------------------------

/**
 * A formatted editor over `area` (the textarea holding the Markdown, which the form saves).
 * Returns { el, commands, setMarkdownMode } for the toolbar and the Markdown toggle.
 */
export function richEditor(area, { labelledBy, describedBy } = {}) {
  const el = h('div', {
    id: 'mail-editor', class: 'rich-editor mail-content', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true',
    'aria-labelledby': labelledBy, 'aria-describedby': describedBy, spellcheck: 'true',
  });
  let savedRange = null;
  const render = () => {
    el.replaceChildren(...markdownToNodes(area.value));
    if (!el.childNodes.length) el.append(h('p', {}, h('br')));
  };
  const sync = () => {
    // Links made by the browser (createLink) keep their target aside, so a click never navigates.
    for (const a of el.querySelectorAll('a[href]')) { a.dataset.href = a.getAttribute('href'); a.title = a.dataset.href; a.removeAttribute('href'); }
    const md = nodesToMarkdown(el);
    if (md !== area.value) { area.value = md; area.dispatchEvent(new Event('input', { bubbles: true })); }
  };
  let mounted = false;
  const rememberSelection = () => {
    // Once the editor has left the page (another message opened), stop listening.
    if (!el.isConnected) { if (mounted) document.removeEventListener('selectionchange', rememberSelection); return; }
    mounted = true;
    const sel = document.getSelection();
    if (sel.rangeCount && el.contains(sel.getRangeAt(0).commonAncestorContainer)) savedRange = sel.getRangeAt(0).cloneRange();
  };
  /** Puts the caret back where it was in the editor (a dialog, e.g. the link's, took it). */
  const restoreSelection = () => {
    const sel = document.getSelection();
    if (sel.rangeCount && el.contains(sel.getRangeAt(0).commonAncestorContainer)) return;
    el.focus();
    if (!savedRange || !el.contains(savedRange.commonAncestorContainer)) return;
    sel.removeAllRanges();
    sel.addRange(savedRange);
  };
  document.addEventListener('selectionchange', rememberSelection);
  el.addEventListener('input', (e) => { e.stopPropagation(); sync(); });
  el.addEventListener('focus', () => { try { document.execCommand('defaultParagraphSeparator', false, 'p'); } catch { /* older engines */ } });
  el.addEventListener('paste', (e) => {
    e.preventDefault();
    const data = e.clipboardData;
    const html = data?.getData('text/html');
    const md = html ? htmlToMarkdown(html) : textToMarkdown(data?.getData('text/plain') || '');
    insertMarkdown(md);
  });
  el.addEventListener('drop', (e) => e.preventDefault());
  el.addEventListener('click', (e) => { if (e.target.closest('a')) e.preventDefault(); });

  /** Puts Markdown at the caret: through markers in the text, so the result is rebuilt from
   * Markdown like everything else and the caret lands after what was inserted. */
  const insertMarkdown = (md) => {
    const START = '\u2063KSTART\u2063';
    const END = '\u2063KEND\u2063';
    restoreSelection();
    document.execCommand('insertText', false, START + END);
    const whole = nodesToMarkdown(el);
    const block = md.trim().includes('\n');
    const piece = block ? `\n\n${md.trim()}\n\n` : md.trim();
    area.value = whole.replace(`${START}${END}`, `${piece}${END}`).replace(/\n{3,}/g, '\n\n');
    render();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.nodeValue.indexOf(END);
      if (at < 0) continue;
      n.nodeValue = n.nodeValue.replace(END, '');
      const r = document.createRange();
      r.setStart(n, at);
      r.collapse(true);
      const sel = document.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      break;
    }
    area.value = area.value.replace(END, '');
    sync();
    area.dispatchEvent(new Event('input', { bubbles: true }));
  };

  const blockOf = () => {
    const sel = document.getSelection();
    let n = sel.rangeCount ? sel.getRangeAt(0).startContainer : null;
    while (n && n !== el) { if (n.nodeType === Node.ELEMENT_NODE && /^(H2|H3|P|LI|DIV)$/.test(n.tagName)) return n; n = n.parentNode; }
    return null;
  };
  const exec = (cmd, value) => { restoreSelection(); document.execCommand(cmd, false, value); sync(); };
  const commands = {
    heading: () => { restoreSelection(); exec('formatBlock', blockOf()?.tagName === 'H2' ? 'p' : 'h2'); },
    bold: () => exec('bold'),
    list: () => exec('insertUnorderedList'),
    link: (url, text) => {
      const href = safeHref(url);
      if (!href) return false;
      restoreSelection();
      const sel = document.getSelection();
      if (sel.isCollapsed) {
        document.execCommand('insertText', false, text);
        const r = sel.getRangeAt(0);
        r.setStart(r.endContainer, Math.max(0, r.endOffset - text.length));
        sel.removeAllRanges();
        sel.addRange(r);
      }
      exec('createLink', href);
      return true;
    },
    insertText: (text) => exec('insertText', text),
    render,
  };
  render();
  return { el, commands };
}
