// Polish formats: dates as 22.11.2026, numbers with a space as the thousands separator.

export function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** "2026-11-22 14:05:09", "2026-11-22T14:05" or an RFC 3339 time as 22.11.2026 14:05; a bare
 * date as 22.11.2026. Times without a zone are local already: shown as written (WebKit does not
 * parse "YYYY-MM-DD HH:MM:SS"), times with a zone in the computer's own. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const pad = (n) => String(n).padStart(2, '0');
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(String(iso).trim());
  if (!m) return iso;
  if (m[4] === undefined) return `${m[3]}.${m[2]}.${m[1]}`;
  if (!m[6]) return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}`;
  const d = new Date(String(iso).trim().replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A period "od – do" in Polish dates; empty when neither end is known (no "— – —"). */
export function formatPeriod(from, to) {
  if (!from && !to) return '';
  return `${formatDate(from) || '…'} – ${formatDate(to) || '…'}`;
}

export function todayPl() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
}

export function formatCount(n) {
  return new Intl.NumberFormat('pl-PL').format(n).replace(/\u00a0/g, ' ');
}

export function formatNip(nip) {
  return nip && nip.length === 10 ? `${nip.slice(0, 3)}-${nip.slice(3, 6)}-${nip.slice(6, 8)}-${nip.slice(8)}` : (nip || '');
}

/** Grosze as "1 234,56 zł" (a space between thousands, a comma before grosze). */
export function formatMoney(grosze) {
  if (grosze === null || grosze === undefined) return '';
  return `${formatMoneyBare(grosze)} zł`;
}

/** Grosze as "1 234,56", for a form's amount field. */
export function formatMoneyBare(grosze) {
  if (grosze === null || grosze === undefined) return '';
  const g = Math.abs(Math.trunc(Number(grosze)));
  const whole = String(Math.floor(g / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${grosze < 0 ? '-' : ''}${whole},${String(g % 100).padStart(2, '0')}`;
}
