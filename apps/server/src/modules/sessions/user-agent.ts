/**
 * A user agent in words a person recognises: "Firefox" on "Linux". Only the common browsers
 * and systems are named; anything else is null and the web app says "an unknown browser".
 * The order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", Android
 * also says "Linux", and iPhones say "like Mac OS X".
 *
 * @example summariseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')
 *   // { browser: 'Firefox', os: 'Linux' }
 */
export function summariseUserAgent(userAgent: string): { browser: string | null; os: string | null } {
  return { browser: first(userAgent, BROWSERS), os: first(userAgent, SYSTEMS) };
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\b(?:Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

function first(userAgent: string, table: [RegExp, string][]): string | null {
  for (const [pattern, name] of table) if (pattern.test(userAgent)) return name;
  return null;
}
