// Rewrites each <time data-relative datetime="..."> as "3 minutes ago" from the browser's clock: a learner's
// page may be replayed from the cache (roadmap/learner_page_cache.py) minutes after the server wrote the
// same words, and a tab left open keeps them true.
const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
const UNITS = [["year", 365 * 86400], ["month", 30 * 86400], ["week", 7 * 86400], ["day", 86400],
  ["hour", 3600], ["minute", 60]];

export function relativeTime(date, now = Date.now()) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? UNITS[UNITS.length - 1];
  return format.format(Math.round(seconds / size), unit);
}

function refresh() {
  for (const element of document.querySelectorAll("time[data-relative]")) {
    const date = new Date(element.dateTime);
    if (!Number.isNaN(date.getTime())) element.textContent = relativeTime(date);
  }
}

refresh();
setInterval(refresh, 30 * 1000);
